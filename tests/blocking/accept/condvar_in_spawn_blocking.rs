//! A Condvar wait moved into spawn_blocking.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

use std::sync::{Arc, Condvar, Mutex};

#[deny_blocking]
async fn wait_ready(pair: Arc<(Mutex<bool>, Condvar)>) -> bool {
    tokio::task::spawn_blocking(move || {
        let (lock, cv) = &*pair;
        let mut ready = lock.lock().unwrap();
        while !*ready {
            ready = cv.wait(ready).unwrap();
        }
        true
    })
    .await
    .unwrap_or(false)
}

fn main() {}
