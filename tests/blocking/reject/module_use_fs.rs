//! An annotated module whose `use std::fs;` is visible to the check.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
mod config {
    use std::fs;

    pub async fn load(path: &str) -> std::io::Result<String> {
        fs::read_to_string(path)
    }
}

fn main() {}
