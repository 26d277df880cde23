//! std mpsc try_recv never blocks.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn poll_events(rx: &std::sync::mpsc::Receiver<u32>) -> Vec<u32> {
    let mut out = Vec::new();
    while let Ok(v) = rx.try_recv() {
        out.push(v);
    }
    out
}

fn main() {}
