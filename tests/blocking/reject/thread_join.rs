//! Joining an OS thread from async code.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn checksum(data: Vec<u8>) -> u64 {
    let handle = std::thread::spawn(move || data.iter().map(|&b| u64::from(b)).sum::<u64>());
    handle.join().unwrap_or(0)
}

fn main() {}
