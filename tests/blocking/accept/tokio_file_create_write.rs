//! tokio File created and written with .await.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

use tokio::io::AsyncWriteExt;

#[deny_blocking]
async fn store_upload(path: &str, body: &[u8]) -> std::io::Result<()> {
    let mut file = tokio::fs::File::create(path).await?;
    file.write_all(body).await?;
    file.flush().await
}

fn main() {}
