//! A parameter typed `Vec<std::thread::JoinHandle<_>>`, joined in a loop.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};


#[deny_blocking]
async fn wait_all(handles: Vec<std::thread::JoinHandle<()>>) {
    for h in handles {
        let _ = h.join();
    }
}

fn main() {}
