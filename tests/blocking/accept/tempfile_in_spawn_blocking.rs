//! Temporary files and a directory walk moved into spawn_blocking.
#![allow(dead_code, unused)]

use std::io::Write;

use taskgroup::{allow_blocking, deny_blocking};
use walkdir::WalkDir;

#[deny_blocking]
async fn spool_and_scan(body: Vec<u8>, root: String) -> std::io::Result<usize> {
    let spool = tokio::task::spawn_blocking(move || {
        let mut spool = tempfile::NamedTempFile::new()?;
        spool.write_all(&body)?;
        Ok::<_, std::io::Error>(spool)
    })
    .await??;
    let scratch = tokio::task::spawn_blocking(tempfile::tempdir).await??;
    let found = tokio::task::spawn_blocking(move || {
        WalkDir::new(root).into_iter().filter_map(Result::ok).count()
    })
    .await?;
    drop((spool, scratch));
    Ok(found)
}

fn main() {}
