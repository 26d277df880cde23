//! A child process kept through `.ok()?`, then waited on.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};


#[deny_blocking]
async fn run_hook(path: &str) -> Option<i32> {
    let mut child = std::process::Command::new(path).spawn().ok()?;
    child.wait().ok()?.code()
}

fn main() {}
