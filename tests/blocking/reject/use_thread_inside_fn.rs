//! `use std::thread;` inside the handler, then thread::sleep.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn rate_limited_handler(requests: u32) -> u32 {
    use std::thread;
    use std::time::Duration;
    thread::sleep(Duration::from_millis(50));
    requests + 1
}

fn main() {}
