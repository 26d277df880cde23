//! Futures bound by let and handed to join!.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

use tokio::fs;

#[deny_blocking]
async fn load_pair(a: &str, b: &str) -> usize {
    let first = fs::read(a);
    let second = fs::read(b);
    let (first, second) = tokio::join!(first, second);
    first.map(|v| v.len()).unwrap_or(0) + second.map(|v| v.len()).unwrap_or(0)
}

fn main() {}
