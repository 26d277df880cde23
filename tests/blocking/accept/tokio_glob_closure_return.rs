//! A glob of `tokio::fs`: removals built in a closure, awaited together.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};


use tokio::fs::*;

#[deny_blocking]
async fn clean(paths: Vec<String>) {
    let removals: Vec<_> = paths.iter().map(|p| remove_file(p.clone())).collect();
    for r in futures::future::join_all(removals).await {
        let _ = r;
    }
}

fn main() {}
