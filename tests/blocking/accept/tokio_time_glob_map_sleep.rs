//! `use tokio::time::*;` at the top of the file, then `.map(|_| sleep(d))`.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};


use std::time::Duration;
use tokio::time::*;

#[deny_blocking]
async fn staggered(n: usize, d: Duration) {
    let naps: Vec<_> = (0..n).map(|_| sleep(d)).collect();
    futures::future::join_all(naps).await;
}

fn main() {}
