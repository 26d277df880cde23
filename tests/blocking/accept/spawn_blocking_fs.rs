//! Blocking file I/O moved into spawn_blocking.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn checksum(path: String) -> std::io::Result<u64> {
    let bytes = tokio::task::spawn_blocking(move || std::fs::read(path)).await??;
    Ok(bytes.iter().map(|&b| u64::from(b)).sum())
}

fn main() {}
