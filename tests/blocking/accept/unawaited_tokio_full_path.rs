//! A tokio future bound and dropped is not blocking.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn cancelled() {
    let fut = tokio::time::sleep(std::time::Duration::from_secs(1));
    drop(fut);
}

fn main() {}
