//! `fs::write` with `use std::fs;` at the top of the file.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

use std::fs;

#[deny_blocking]
async fn persist_session(path: &str, token: &str) -> std::io::Result<()> {
    fs::write(path, token)?;
    Ok(())
}

fn main() {}
