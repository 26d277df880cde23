//! `fs::read` bound by let and never awaited is std's.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

use std::fs;

#[deny_blocking]
async fn thumbnail(path: &str) -> usize {
    let bytes = fs::read(path);
    bytes.map(|b| b.len()).unwrap_or(0)
}

fn main() {}
