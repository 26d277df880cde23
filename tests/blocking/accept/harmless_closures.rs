//! Closures in async code that do not block.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn normalise(names: Vec<String>) -> Vec<String> {
    names.iter().map(|n| n.trim().to_lowercase()).filter(|n| !n.is_empty()).collect()
}

fn main() {}
