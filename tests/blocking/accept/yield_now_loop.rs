//! A cooperative loop with tokio::task::yield_now.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn crunch(n: u64) -> u64 {
    let mut acc = 0;
    for i in 0..n {
        acc += i;
        if i % 1024 == 0 {
            tokio::task::yield_now().await;
        }
    }
    acc
}

fn main() {}
