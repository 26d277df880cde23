//! pollster::block_on inside async code.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

/// Stand-in for the `pollster` crate.
mod pollster {
    pub fn block_on<F: std::future::Future>(_f: F) -> F::Output { todo!() }
}

#[deny_blocking]
async fn render() -> u32 {
    pollster::block_on(async { 7 })
}

fn main() {}
