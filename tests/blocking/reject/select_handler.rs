//! A blocking call in a select! branch handler.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn supervise(mut rx: tokio::sync::mpsc::Receiver<u32>) {
    tokio::select! {
        Some(_) = rx.recv() => {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        else => {}
    }
}

fn main() {}
