//! Parking the executor thread.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn wait_for_unpark() {
    std::thread::park();
}

fn main() {}
