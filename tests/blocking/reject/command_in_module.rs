//! A tools module with `use std::process::Command;` in view.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
mod tools {
    use std::process::Command;

    pub async fn disk_usage(path: &str) -> std::io::Result<String> {
        let out = Command::new("du").arg("-sh").arg(path).output()?;
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }
}

fn main() {}
