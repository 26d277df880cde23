//! Bare `block_on` imported from futures at the top.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

use futures::executor::block_on;

async fn load() -> u8 {
    1
}

#[deny_blocking]
async fn warm_up() -> u8 {
    block_on(load())
}

fn main() {}
