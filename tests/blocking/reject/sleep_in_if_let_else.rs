//! A blocking sleep in an else branch of a retry.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn acquire(lock: &std::sync::Mutex<bool>) -> bool {
    if let Ok(mut taken) = lock.try_lock() {
        *taken = true;
        true
    } else {
        std::thread::sleep(std::time::Duration::from_millis(20));
        false
    }
}

fn main() {}
