//! An async default method in an annotated trait.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
trait Store {
    async fn load(&self, key: &str) -> Vec<u8> {
        std::fs::read(key).unwrap_or_default()
    }
}

fn main() {}
