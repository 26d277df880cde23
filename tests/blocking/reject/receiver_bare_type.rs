//! A parameter typed with a bare `Receiver` imported from std.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

use std::sync::mpsc::Receiver;

#[deny_blocking]
async fn next_tick(ticks: &Receiver<u64>) -> Option<u64> {
    ticks.recv().ok()
}

fn main() {}
