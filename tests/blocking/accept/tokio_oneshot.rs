//! A tokio oneshot reply.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn ask() -> Option<u32> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        let _ = tx.send(7);
    });
    rx.await.ok()
}

fn main() {}
