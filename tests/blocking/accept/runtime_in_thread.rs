//! A separate runtime driven on a std thread.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn isolated() -> std::thread::JoinHandle<u32> {
    std::thread::spawn(|| {
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        rt.block_on(async { 9 })
    })
}

fn main() {}
