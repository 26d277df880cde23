//! A glob import `use std::fs::*;` then read_dir.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn list_uploads(dir: &str) -> std::io::Result<usize> {
    use std::fs::*;
    let entries = read_dir(dir)?;
    Ok(entries.count())
}

fn main() {}
