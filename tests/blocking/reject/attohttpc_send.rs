//! attohttpc send in async code.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn ping(url: &str) -> bool {
    attohttpc::get(url).header("user-agent", "svc").send().is_ok()
}

fn main() {}
