//! `super::fs::write` from a nested module.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
mod reports {
    use std::fs;

    pub mod daily {
        pub async fn save(path: &str, body: &str) -> std::io::Result<()> {
            super::fs::write(path, body)
        }
    }
}

fn main() {}
