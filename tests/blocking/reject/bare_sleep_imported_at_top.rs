//! Bare `sleep(..)` imported from std at the top of the file.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

use std::thread::sleep;
use std::time::Duration;

#[deny_blocking]
async fn wait_for_leader(attempt: u32) -> u32 {
    sleep(Duration::from_millis(200));
    attempt + 1
}

fn main() {}
