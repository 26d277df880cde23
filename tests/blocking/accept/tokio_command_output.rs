//! tokio Command output().await.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

use tokio::process::Command;

#[deny_blocking]
async fn git_revision() -> std::io::Result<String> {
    let out = Command::new("git").args(["rev-parse", "HEAD"]).output().await?;
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn main() {}
