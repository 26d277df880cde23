//! tokio mpsc blocking_send in async code.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn publish(tx: &tokio::sync::mpsc::Sender<u32>, event: u32) -> bool {
    tx.blocking_send(event).is_ok()
}

fn main() {}
