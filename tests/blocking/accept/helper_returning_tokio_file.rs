//! A helper declared to return tokio's `File`: its methods are awaited.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};


use tokio::io::AsyncWriteExt;

async fn open_log() -> std::io::Result<tokio::fs::File> {
    tokio::fs::OpenOptions::new().append(true).create(true).open("app.log").await
}

#[deny_blocking]
async fn log_line(line: &str) -> std::io::Result<()> {
    let mut log = open_log().await?;
    log.write_all(line.as_bytes()).await
}

fn main() {}
