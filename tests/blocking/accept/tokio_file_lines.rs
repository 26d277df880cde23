//! tokio's `File` and `BufReader`, imported at the top of the file.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};


use tokio::fs::File;
use tokio::io::{AsyncBufReadExt, BufReader};

#[deny_blocking]
async fn count(path: &str) -> std::io::Result<usize> {
    let file = File::open(path).await?;
    let mut lines = BufReader::new(file).lines();
    let mut n = 0;
    while lines.next_line().await?.is_some() {
        n += 1;
    }
    Ok(n)
}

fn main() {}
