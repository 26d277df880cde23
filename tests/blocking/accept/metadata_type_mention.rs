//! A generic type mentioning std::fs::Metadata.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn total_size(paths: Vec<String>) -> u64 {
    let mut metas: Vec<std::fs::Metadata> = Vec::new();
    for p in &paths {
        if let Ok(m) = tokio::fs::metadata(p).await {
            metas.push(m);
        }
    }
    metas.iter().map(|m| m.len()).sum()
}

fn main() {}
