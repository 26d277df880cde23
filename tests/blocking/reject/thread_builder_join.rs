//! Joining a named thread built with thread::Builder.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn index_documents(n: usize) -> std::io::Result<usize> {
    let handle = std::thread::Builder::new().name("indexer".into()).spawn(move || n * 2)?;
    Ok(handle.join().unwrap_or(0))
}

fn main() {}
