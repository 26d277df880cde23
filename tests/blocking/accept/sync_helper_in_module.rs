//! Sync helpers in an annotated module are not async code.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
mod cli {
    fn read_token(path: &str) -> String {
        std::fs::read_to_string(path).unwrap_or_default()
    }

    pub async fn login(path: String) -> usize {
        tokio::task::spawn_blocking(move || read_token(&path)).await.map(|t| t.len()).unwrap_or(0)
    }
}

fn main() {}
