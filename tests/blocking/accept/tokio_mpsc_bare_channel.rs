//! `mpsc::channel(16)` with tokio's import outside the view.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

use tokio::sync::mpsc;

#[deny_blocking]
async fn pipeline() -> Option<u32> {
    let (tx, mut rx) = mpsc::channel(16);
    tx.send(1).await.ok()?;
    rx.recv().await
}

fn main() {}
