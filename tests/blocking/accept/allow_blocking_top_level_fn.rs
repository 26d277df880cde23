//! A top-level async fn marked #[allow_blocking] outside any check.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[allow_blocking]
async fn one_off_tool(path: &str) -> usize {
    std::fs::read(path).map(|b| b.len()).unwrap_or(0)
}

#[deny_blocking]
async fn run(path: &str) -> usize {
    one_off_tool(path).await
}

fn main() {}
