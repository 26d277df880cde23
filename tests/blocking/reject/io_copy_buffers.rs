//! std::io::copy from a reader to a writer.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn mirror(body: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut reader = body;
    let mut out = Vec::new();
    std::io::copy(&mut reader, &mut out)?;
    Ok(out)
}

fn main() {}
