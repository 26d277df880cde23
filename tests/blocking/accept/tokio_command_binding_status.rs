//! A tokio Command built step by step, then status().await.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

use tokio::process::Command;

#[deny_blocking]
async fn reload() -> std::io::Result<bool> {
    let mut cmd = Command::new("nginx");
    cmd.arg("-s").arg("reload");
    Ok(cmd.status().await?.success())
}

fn main() {}
