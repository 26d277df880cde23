//! Waiting on a std Barrier in async code.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

use std::sync::{Arc, Barrier};

#[deny_blocking]
async fn start_together() {
    let barrier = Arc::new(Barrier::new(2));
    let other = Arc::clone(&barrier);
    std::thread::spawn(move || other.wait());
    barrier.wait();
}

fn main() {}
