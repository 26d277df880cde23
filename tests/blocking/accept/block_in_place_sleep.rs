//! A blocking section inside block_in_place.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn legacy_section() -> u32 {
    tokio::task::block_in_place(|| {
        std::thread::sleep(std::time::Duration::from_millis(1));
        3
    })
}

fn main() {}
