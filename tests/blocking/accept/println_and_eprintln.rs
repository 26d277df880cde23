//! println!/eprintln! are allowed.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn report(done: usize, failed: usize) {
    println!("done: {done}");
    eprintln!("failed: {}", failed);
}

fn main() {}
