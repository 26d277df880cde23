//! A std receiver name re-bound to a tokio receiver.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn relay() -> Option<u32> {
    let (_tx, rx) = std::sync::mpsc::channel::<u32>();
    drop(rx);
    let (tx, mut rx) = tokio::sync::mpsc::channel(1);
    tx.send(5).await.ok()?;
    rx.recv().await
}

fn main() {}
