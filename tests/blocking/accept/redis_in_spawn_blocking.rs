//! A sync redis call inside spawn_blocking.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn cached(client: std::sync::Arc<redis::Client>, key: String) -> std::io::Result<String> {
    tokio::task::spawn_blocking(move || client.get_connection()?.get(&key)).await?
}

fn main() {}
