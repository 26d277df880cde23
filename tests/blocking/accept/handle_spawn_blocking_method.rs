//! Handle::spawn_blocking with a blocking closure.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn hash_file(path: String) -> usize {
    let handle = tokio::runtime::Handle::current();
    handle.spawn_blocking(move || std::fs::read(path).map(|b| b.len()).unwrap_or(0)).await.unwrap_or(0)
}

fn main() {}
