//! A future bound by let and awaited later.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

use tokio::fs;

#[deny_blocking]
async fn render(path: &str) -> std::io::Result<usize> {
    let config = fs::read_to_string(path);
    let header = "<html>".len();
    let config = config.await?;
    Ok(header + config.len())
}

fn main() {}
