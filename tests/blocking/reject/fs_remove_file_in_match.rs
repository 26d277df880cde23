//! A blocking call inside a match arm.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn expire(kind: u8, path: &str) -> std::io::Result<()> {
    match kind {
        0 => Ok(()),
        _ => std::fs::remove_file(path),
    }
}

fn main() {}
