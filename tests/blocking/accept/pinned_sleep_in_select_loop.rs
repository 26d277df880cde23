//! A pinned deadline polled by a select! loop.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

use std::time::Duration;
use tokio::time::sleep;

#[deny_blocking]
async fn collect_until_deadline(rx: &mut tokio::sync::mpsc::Receiver<u32>) -> Vec<u32> {
    let deadline = sleep(Duration::from_secs(5));
    tokio::pin!(deadline);
    let mut out = Vec::new();
    loop {
        tokio::select! {
            _ = &mut deadline => break,
            Some(v) = rx.recv() => out.push(v),
            else => break,
        }
    }
    out
}

fn main() {}
