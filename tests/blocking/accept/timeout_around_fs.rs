//! A bare `fs::read` future passed to tokio::time::timeout.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

use std::time::Duration;
use tokio::fs;

#[deny_blocking]
async fn read_with_deadline(path: &str) -> Option<Vec<u8>> {
    tokio::time::timeout(Duration::from_secs(2), fs::read(path)).await.ok()?.ok()
}

fn main() {}
