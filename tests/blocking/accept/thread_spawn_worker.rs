//! A std thread owning a blocking receive loop.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn start_worker() -> std::sync::mpsc::Sender<u32> {
    let (tx, rx) = std::sync::mpsc::channel::<u32>();
    std::thread::spawn(move || {
        while let Ok(job) = rx.recv() {
            let _ = job;
        }
    });
    tx
}

fn main() {}
