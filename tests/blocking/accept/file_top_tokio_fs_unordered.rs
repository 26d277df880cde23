//! `use tokio::fs;` at the top of the file, reads pushed into a `FuturesUnordered`.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};


use futures::stream::{FuturesUnordered, StreamExt};
use tokio::fs;

#[deny_blocking]
async fn total_size(paths: Vec<String>) -> usize {
    let mut reads = FuturesUnordered::new();
    for p in paths {
        reads.push(fs::read(p));
    }
    let mut total = 0;
    while let Some(read) = reads.next().await {
        total += read.map(|b| b.len()).unwrap_or(0);
    }
    total
}

fn main() {}
