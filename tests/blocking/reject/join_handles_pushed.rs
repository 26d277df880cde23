//! Join handles collected in a `Vec` by `push`, then joined in a loop.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};


#[deny_blocking]
async fn crunch(parts: Vec<Vec<u64>>) -> u64 {
    let mut handles = Vec::new();
    for part in parts {
        handles.push(std::thread::spawn(move || part.iter().sum::<u64>()));
    }
    let mut total = 0;
    for h in handles {
        total += h.join().unwrap_or(0);
    }
    total
}

fn main() {}
