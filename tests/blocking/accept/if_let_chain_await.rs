//! Awaited tokio calls inside control flow.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn maybe_load(path: Option<&str>) -> usize {
    if let Some(p) = path {
        match tokio::fs::read(p).await {
            Ok(b) => b.len(),
            Err(_) => 0,
        }
    } else {
        0
    }
}

fn main() {}
