//! `#[deny_blocking]` above `#[tokio::main]` checks main's body.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
#[tokio::main]
async fn main() {
    std::thread::sleep(std::time::Duration::from_millis(1));
}
