//! tokio File opened and read with .await.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

use tokio::fs::File;
use tokio::io::AsyncReadExt;

#[deny_blocking]
async fn read_secret(path: &str) -> std::io::Result<String> {
    let mut file = File::open(path).await?;
    let mut secret = String::new();
    file.read_to_string(&mut secret).await?;
    Ok(secret)
}

fn main() {}
