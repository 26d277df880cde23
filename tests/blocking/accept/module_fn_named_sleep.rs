//! A module fn named sleep in the annotated module.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
mod backoff {
    pub fn sleep(attempt: u32) -> u64 {
        100 * u64::from(attempt)
    }

    pub async fn next_delay(attempt: u32) -> u64 {
        sleep(attempt)
    }
}

fn main() {}
