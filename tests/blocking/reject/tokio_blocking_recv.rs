//! tokio mpsc blocking_recv in async code.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn next_command(rx: &mut tokio::sync::mpsc::Receiver<String>) -> Option<String> {
    rx.blocking_recv()
}

fn main() {}
