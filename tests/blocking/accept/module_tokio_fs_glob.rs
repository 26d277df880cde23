//! An annotated module with `use tokio::fs::*;`.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
mod assets {
    use tokio::fs::*;

    pub async fn load(path: &str) -> std::io::Result<String> {
        read_to_string(path).await
    }
}

fn main() {}
