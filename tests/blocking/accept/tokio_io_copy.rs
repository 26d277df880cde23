//! tokio::io::copy with .await.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn mirror(body: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut reader = body;
    let mut out = Vec::new();
    tokio::io::copy(&mut reader, &mut out).await?;
    Ok(out)
}

fn main() {}
