//! A CLI prompt reading tokio's stdin.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

use tokio::io::{AsyncBufReadExt, BufReader};

#[deny_blocking]
async fn confirm() -> std::io::Result<bool> {
    let mut answer = String::new();
    BufReader::new(tokio::io::stdin()).read_line(&mut answer).await?;
    Ok(answer.trim() == "y")
}

fn main() {}
