//! A handler spooling an upload to a named temporary file.
#![allow(dead_code, unused)]

use std::io::Write;

use taskgroup::{allow_blocking, deny_blocking};
use tempfile::NamedTempFile;

#[deny_blocking]
async fn spool_upload(body: Vec<u8>) -> std::io::Result<NamedTempFile> {
    let mut spool = NamedTempFile::new()?;
    tokio::task::spawn_blocking(move || {
        spool.write_all(&body)?;
        Ok(spool)
    })
    .await?
}

fn main() {}
