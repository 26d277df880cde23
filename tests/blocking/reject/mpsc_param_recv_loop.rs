//! A job loop over a std Receiver parameter.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn process_jobs(rx: std::sync::mpsc::Receiver<String>) -> usize {
    let mut done = 0;
    while let Ok(job) = rx.recv() {
        done += job.len();
    }
    done
}

fn main() {}
