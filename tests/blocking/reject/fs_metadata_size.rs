//! Checking a file's size with std::fs::metadata.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn too_large(path: &str, limit: u64) -> std::io::Result<bool> {
    Ok(std::fs::metadata(path)?.len() > limit)
}

fn main() {}
