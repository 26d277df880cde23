//! A tokio interval ticker.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn ticks(n: usize) -> usize {
    let mut interval = tokio::time::interval(std::time::Duration::from_millis(10));
    for _ in 0..n {
        interval.tick().await;
    }
    n
}

fn main() {}
