//! Reloading a service with Command::status.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

use std::process::Command;

#[deny_blocking]
async fn reload_nginx() -> std::io::Result<bool> {
    Ok(Command::new("nginx").arg("-s").arg("reload").status()?.success())
}

fn main() {}
