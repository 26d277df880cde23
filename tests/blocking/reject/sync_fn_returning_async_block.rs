//! A sync fn whose async block blocks.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

use std::future::Future;

#[deny_blocking]
fn heartbeat_task() -> impl Future<Output = ()> {
    async {
        std::thread::sleep(std::time::Duration::from_secs(1));
    }
}

fn main() {}
