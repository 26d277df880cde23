//! Scoped threads run inside `spawn_blocking`, off the executor.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};


#[deny_blocking]
async fn sizes(paths: Vec<String>) -> usize {
    tokio::task::spawn_blocking(move || {
        std::thread::scope(|s| {
            let handles: Vec<_> = paths
                .iter()
                .map(|p| s.spawn(move || std::fs::read(p).map(|b| b.len()).unwrap_or(0)))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap_or(0)).sum()
        })
    })
    .await
    .unwrap_or(0)
}

fn main() {}
