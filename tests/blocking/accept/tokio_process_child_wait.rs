//! A tokio child process waited with .await.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn run_migration() -> std::io::Result<bool> {
    let mut child = tokio::process::Command::new("migrate").arg("up").spawn()?;
    Ok(child.wait().await?.success())
}

fn main() {}
