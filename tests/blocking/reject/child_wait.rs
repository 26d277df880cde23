//! Waiting on a spawned child process.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn run_migration() -> std::io::Result<bool> {
    let mut child = std::process::Command::new("migrate").arg("up").spawn()?;
    Ok(child.wait()?.success())
}

fn main() {}
