//! Cleaning a scratch directory after a job.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn cleanup_job(scratch: &str) -> std::io::Result<()> {
    std::fs::remove_dir_all(scratch)
}

fn main() {}
