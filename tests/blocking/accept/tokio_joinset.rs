//! A JoinSet of fetches.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn fan_out(ids: Vec<u32>) -> u32 {
    let mut set = tokio::task::JoinSet::new();
    for id in ids {
        set.spawn(async move { id * 2 });
    }
    let mut total = 0;
    while let Some(Ok(v)) = set.join_next().await {
        total += v;
    }
    total
}

fn main() {}
