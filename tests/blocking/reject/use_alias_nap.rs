//! An aliased import: `use std::thread::sleep as nap;`.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn poll_job_status(job: u64) -> bool {
    use std::thread::sleep as nap;
    nap(std::time::Duration::from_secs(1));
    job % 2 == 0
}

fn main() {}
