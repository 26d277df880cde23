//! std Mutex::lock for a short critical section.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

use std::sync::{Arc, Mutex};

#[deny_blocking]
async fn record_hit(hits: Arc<Mutex<u64>>) -> u64 {
    let mut n = hits.lock().unwrap();
    *n += 1;
    *n
}

fn main() {}
