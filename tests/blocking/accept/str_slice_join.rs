//! `[&str]::join` shares a name with JoinHandle::join.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn path_of(parts: &[&str]) -> String {
    parts.join("/")
}

fn main() {}
