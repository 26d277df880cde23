//! Instant, Duration and env vars are not blocking.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn timed() -> (u128, bool) {
    let start = std::time::Instant::now();
    let debug = std::env::var("DEBUG").is_ok();
    (start.elapsed().as_micros(), debug)
}

fn main() {}
