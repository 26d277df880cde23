//! A nested fn item is sync context.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn import(path: &str) -> usize {
    fn parse(path: &str) -> usize {
        std::fs::read_to_string(path).map(|s| s.lines().count()).unwrap_or(0)
    }
    let p = path.to_string();
    tokio::task::spawn_blocking(move || parse(&p)).await.unwrap_or(0)
}

fn main() {}
