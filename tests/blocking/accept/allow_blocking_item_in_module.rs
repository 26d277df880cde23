//! An item in an annotated module marked #[allow_blocking].
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
mod boot {
    #[allow_blocking]
    pub async fn warm_cache(path: &str) -> usize {
        std::fs::read(path).map(|b| b.len()).unwrap_or(0)
    }

    pub async fn ready() -> bool {
        true
    }
}

fn main() {}
