//! tokio mpsc recv().await.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn consume(mut rx: tokio::sync::mpsc::Receiver<String>) -> usize {
    let mut n = 0;
    while let Some(msg) = rx.recv().await {
        n += msg.len();
    }
    n
}

fn main() {}
