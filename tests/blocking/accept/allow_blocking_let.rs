//! A let statement marked #[allow_blocking] at startup.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn startup(path: &str) -> usize {
    #[allow_blocking]
    let config = std::fs::read_to_string(path).unwrap_or_default();
    config.len()
}

fn main() {}
