//! A local fn named sleep shadows the std one.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn pause(ms: u64) -> u64 {
    fn sleep(ms: u64) -> u64 {
        ms * 2
    }
    sleep(ms)
}

fn main() {}
