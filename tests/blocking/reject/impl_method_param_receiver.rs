//! A method of an annotated impl with a std Receiver parameter.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

struct Worker;

#[deny_blocking]
impl Worker {
    async fn run(&self, jobs: std::sync::mpsc::Receiver<u32>) -> u32 {
        jobs.recv().unwrap_or(0)
    }
}

fn main() {}
