//! tokio Mutex::blocking_lock in an async handler.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn record_hit(hits: &tokio::sync::Mutex<u64>) {
    *hits.blocking_lock() += 1;
}

fn main() {}
