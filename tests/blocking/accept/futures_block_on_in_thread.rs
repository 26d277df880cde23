//! futures::executor::block_on on a std thread.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn offload() -> std::thread::JoinHandle<u8> {
    std::thread::spawn(|| futures::executor::block_on(async { 1 }))
}

fn main() {}
