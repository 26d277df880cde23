//! Bare `sleep(..).await` imported from tokio at the top.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

use std::time::Duration;
use tokio::time::sleep;

#[deny_blocking]
async fn wait_for_leader(attempt: u32) -> u32 {
    sleep(Duration::from_millis(200)).await;
    attempt + 1
}

fn main() {}
