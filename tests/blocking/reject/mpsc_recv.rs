//! Receiving from a std channel in a worker.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn first_result() -> Option<u32> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || tx.send(42));
    rx.recv().ok()
}

fn main() {}
