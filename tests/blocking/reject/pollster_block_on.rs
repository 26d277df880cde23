//! pollster::block_on inside async code.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn render() -> u32 {
    pollster::block_on(async { 7 })
}

fn main() {}
