//! tokio's own docs example: `BufReader::new(io::stdin()).lines()` with tokio's io.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};


use tokio::io::{self, AsyncBufReadExt, BufReader};

#[deny_blocking]
async fn echo() -> io::Result<()> {
    let mut lines = BufReader::new(io::stdin()).lines();
    while let Some(line) = lines.next_line().await? {
        println!("length = {}", line.len());
    }
    Ok(())
}

fn main() {}
