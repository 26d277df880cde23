//! Awaiting a tokio JoinHandle.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn compute() -> u64 {
    let handle = tokio::spawn(async { 21u64 * 2 });
    handle.await.unwrap_or(0)
}

fn main() {}
