//! Bare `create_dir_all` imported at the top of the file.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

use std::fs::create_dir_all;

#[deny_blocking]
async fn ensure_cache_dir(root: &str) -> std::io::Result<()> {
    create_dir_all(format!("{root}/cache"))
}

fn main() {}
