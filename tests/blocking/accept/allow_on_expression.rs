//! An expression marked #[allow_blocking] in a let.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn bootstrap(path: &str) -> usize {
    let size = #[allow_blocking]
    std::fs::read(path).map(|b| b.len()).unwrap_or(0);
    size
}

fn main() {}
