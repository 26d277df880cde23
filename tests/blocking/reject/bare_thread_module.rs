//! `thread::sleep` with the `use` outside the attribute's view.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

use std::thread;
use std::time::Duration;

#[deny_blocking]
async fn drain_queue(items: Vec<u32>) -> u32 {
    let mut total = 0;
    for item in items {
        total += item;
        thread::sleep(Duration::from_millis(10));
    }
    total
}

fn main() {}
