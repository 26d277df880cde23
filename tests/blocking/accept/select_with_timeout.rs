//! A select! racing a channel against tokio's sleep.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

use std::time::Duration;
use tokio::time::sleep;

#[deny_blocking]
async fn next_or_timeout(rx: &mut tokio::sync::mpsc::Receiver<u32>) -> Option<u32> {
    tokio::select! {
        v = rx.recv() => v,
        _ = sleep(Duration::from_secs(1)) => None,
    }
}

fn main() {}
