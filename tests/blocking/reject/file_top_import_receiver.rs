//! The channel type imported at the top of the file types a parameter.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};


use std::sync::mpsc::Receiver;

#[deny_blocking]
async fn next_job(jobs: &Receiver<u32>) -> Option<u32> {
    jobs.recv().ok()
}

fn main() {}
