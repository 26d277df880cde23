//! An annotated trait whose async default method awaits.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
trait Store {
    async fn load(&self, key: &str) -> Vec<u8> {
        tokio::fs::read(key).await.unwrap_or_default()
    }
}

fn main() {}
