//! Sending into a bounded std channel.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn enqueue(item: u32) -> bool {
    let (tx, _rx) = std::sync::mpsc::sync_channel(1);
    tx.send(item).is_ok()
}

fn main() {}
