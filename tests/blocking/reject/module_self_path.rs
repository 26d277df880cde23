//! `self::fs::remove_file` inside an annotated module.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
mod cache {
    use std::fs;

    pub async fn evict(path: &str) -> std::io::Result<()> {
        self::fs::remove_file(path)
    }
}

fn main() {}
