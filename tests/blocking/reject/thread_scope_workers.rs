//! Scoped threads doing blocking reads: `std::thread::scope` blocks until every thread ends.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};


#[deny_blocking]
async fn sizes(paths: &[String]) -> usize {
    std::thread::scope(|s| {
        let handles: Vec<_> = paths
            .iter()
            .map(|p| s.spawn(move || std::fs::read(p).map(|b| b.len()).unwrap_or(0)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or(0)).sum()
    })
}

fn main() {}
