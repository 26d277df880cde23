//! `sleep` renamed by a `use` at the top of the file.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};


use std::thread::sleep as nap;
use std::time::Duration;

#[deny_blocking]
async fn back_off(attempt: u32) {
    nap(Duration::from_millis(50 * u64::from(attempt)));
}

fn main() {}
