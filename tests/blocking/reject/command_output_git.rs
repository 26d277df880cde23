//! Reading the git revision with std::process::Command.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn git_revision() -> std::io::Result<String> {
    let out = std::process::Command::new("git").args(["rev-parse", "HEAD"]).output()?;
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn main() {}
