//! A glob import of `std::fs` at the top of the file.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};


use std::fs::*;

#[deny_blocking]
async fn clear_cache(dir: &str) -> std::io::Result<()> {
    remove_dir_all(dir)
}

fn main() {}
