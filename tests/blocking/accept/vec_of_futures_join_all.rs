//! A vec! of tokio futures passed to join_all.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

use tokio::fs;

#[deny_blocking]
async fn read_all(a: &str, b: &str) -> usize {
    let reads = vec![fs::read(a), fs::read(b)];
    futures::future::join_all(reads).await.into_iter().flatten().map(|v| v.len()).sum()
}

fn main() {}
