//! Waiting on a std Condvar for readiness.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn wait_ready(ready: &std::sync::Mutex<bool>, cv: &std::sync::Condvar) {
    let mut guard = ready.lock().unwrap();
    while !*guard {
        guard = cv.wait(guard).unwrap();
    }
}

fn main() {}
