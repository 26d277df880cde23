//! Handle::current().block_on inside async code.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn compute() -> u32 {
    tokio::runtime::Handle::current().block_on(async { 5 })
}

fn main() {}
