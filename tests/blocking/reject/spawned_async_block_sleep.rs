//! An async block handed to tokio::spawn is async code too.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn start_heartbeat() {
    tokio::spawn(async move {
        loop {
            std::thread::sleep(std::time::Duration::from_secs(5));
        }
    });
}

fn main() {}
