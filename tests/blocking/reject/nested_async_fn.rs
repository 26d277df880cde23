//! An async fn nested in an async fn is async code.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn batch(ids: Vec<u32>) -> usize {
    async fn one(id: u32) -> usize {
        std::fs::read(format!("items/{id}")).map(|b| b.len()).unwrap_or(0)
    }
    let mut total = 0;
    for id in ids {
        total += one(id).await;
    }
    total
}

fn main() {}
