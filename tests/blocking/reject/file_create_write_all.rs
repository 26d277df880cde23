//! A std File created and written in an upload handler.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

use std::fs::File;
use std::io::Write;

#[deny_blocking]
async fn store_upload(path: &str, body: &[u8]) -> std::io::Result<usize> {
    let mut file = File::create(path)?;
    file.write_all(body)?;
    Ok(body.len())
}

fn main() {}
