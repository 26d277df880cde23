//! `allow = [..]` trims the catalogue for startup code.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking(allow = [std::fs::read_to_string])]
async fn load_startup_config(path: &str) -> usize {
    std::fs::read_to_string(path).map(|s| s.len()).unwrap_or(0)
}

fn main() {}
