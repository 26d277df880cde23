//! A helper's declared return type types the value it returns.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};


use std::io::Write;

fn open_log() -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new().append(true).create(true).open("app.log")
}

#[deny_blocking]
async fn log_line(line: &str) -> std::io::Result<()> {
    let mut log = open_log()?;
    log.write_all(line.as_bytes())
}

fn main() {}
