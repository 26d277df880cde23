//! An audit log opened with OpenOptions in a handler.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

use std::fs::OpenOptions;

#[deny_blocking]
async fn audit(path: &str) -> std::io::Result<()> {
    let _log = OpenOptions::new().append(true).create(true).open(path)?;
    Ok(())
}

fn main() {}
