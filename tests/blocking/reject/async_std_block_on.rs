//! async_std::task::block_on inside a tokio handler.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn legacy_bridge() -> u32 {
    async_std::task::block_on(async { 3 })
}

fn main() {}
