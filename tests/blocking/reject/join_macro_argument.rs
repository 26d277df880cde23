//! A blocking call inside a tokio::join! argument.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn dashboard() -> (u32, usize) {
    tokio::join!(async { 1 }, async { std::fs::read_to_string("motd").map(|s| s.len()).unwrap_or(0) })
}

fn main() {}
