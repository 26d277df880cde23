//! Condvar::wait_timeout in a cache refresh.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn wait_refresh(state: &std::sync::Mutex<u32>, cv: &std::sync::Condvar) -> u32 {
    let guard = state.lock().unwrap();
    let (guard, _timeout) = cv.wait_timeout(guard, std::time::Duration::from_secs(1)).unwrap();
    *guard
}

fn main() {}
