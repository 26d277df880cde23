//! tokio's blocking_lock inside spawn_blocking is its intended use.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

use std::sync::Arc;

#[deny_blocking]
async fn bump(counter: Arc<tokio::sync::Mutex<u64>>) -> u64 {
    tokio::task::spawn_blocking(move || {
        let mut n = counter.blocking_lock();
        *n += 1;
        *n
    })
    .await
    .unwrap_or(0)
}

fn main() {}
