//! A sync redis call inside spawn_blocking.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

/// Stand-in for the `redis` crate.
#[path = "../stand_ins/redis.rs"]
mod redis;

#[deny_blocking]
async fn cached(client: std::sync::Arc<redis::Client>, key: String) -> std::io::Result<String> {
    tokio::task::spawn_blocking(move || client.get_connection()?.get(&key)).await?
}

fn main() {}
