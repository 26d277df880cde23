//! Awaiting tokio handles in a loop.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn wait_all(handles: Vec<tokio::task::JoinHandle<u32>>) -> u32 {
    let mut total = 0;
    for h in handles {
        total += h.await.unwrap_or(0);
    }
    total
}

fn main() {}
