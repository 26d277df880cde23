//! `#[deny_blocking]` above `#[tokio::main]` with async code only.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
#[tokio::main]
async fn main() {
    tokio::time::sleep(std::time::Duration::from_millis(1)).await;
}
