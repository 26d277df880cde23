//! A bare `Barrier::new` imported from tokio, awaited.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

use std::sync::Arc;
use tokio::sync::Barrier;

#[deny_blocking]
async fn start_together() {
    let barrier = Arc::new(Barrier::new(2));
    let other = Arc::clone(&barrier);
    tokio::spawn(async move {
        other.wait().await;
    });
    barrier.wait().await;
}

fn main() {}
