//! Condvar::wait_while for a pending count.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn wait_drained(pending: &std::sync::Mutex<u32>, cv: &std::sync::Condvar) {
    let _guard = cv.wait_while(pending.lock().unwrap(), |n| *n > 0).unwrap();
}

fn main() {}
