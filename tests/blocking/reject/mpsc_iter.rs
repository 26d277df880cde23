//! Iterating a std Receiver.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn collect_events(rx: std::sync::mpsc::Receiver<u64>) -> u64 {
    rx.iter().take(10).sum()
}

fn main() {}
