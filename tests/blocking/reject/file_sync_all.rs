//! Flushing a std file to disk.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn durable(file: &std::fs::File) -> std::io::Result<()> {
    file.sync_all()
}

fn main() {}
