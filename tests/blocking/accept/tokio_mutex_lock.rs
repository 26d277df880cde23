//! tokio Mutex lock().await.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn record_hit(hits: &tokio::sync::Mutex<u64>) {
    *hits.lock().await += 1;
}

fn main() {}
