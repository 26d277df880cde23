//! async_std::task::block_on inside a tokio handler.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

/// Stand-in for the `async-std` crate.
mod async_std {
    pub mod task {
        pub fn block_on<F: std::future::Future>(_f: F) -> F::Output { todo!() }
    }
}

#[deny_blocking]
async fn legacy_bridge() -> u32 {
    async_std::task::block_on(async { 3 })
}

fn main() {}
