//! futures::executor::block_on inside async code.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

async fn fetch_user(id: u64) -> u64 {
    id
}

#[deny_blocking]
async fn handler(id: u64) -> u64 {
    futures::executor::block_on(fetch_user(id))
}

fn main() {}
