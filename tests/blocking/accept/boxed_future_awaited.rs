//! A future pinned in a Box and awaited.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

use tokio::fs;

#[deny_blocking]
async fn read_boxed(path: &str) -> usize {
    let fut = Box::pin(fs::read(path));
    fut.await.map(|v| v.len()).unwrap_or(0)
}

fn main() {}
