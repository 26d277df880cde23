//! futures::join! of async calls.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

async fn users() -> usize {
    3
}

async fn orders() -> usize {
    4
}

#[deny_blocking]
async fn dashboard() -> usize {
    let (u, o) = futures::join!(users(), orders());
    u + o
}

fn main() {}
