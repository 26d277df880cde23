//! Config loading with tokio::fs.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn load_config(path: &str) -> std::io::Result<Vec<(String, String)>> {
    let raw = tokio::fs::read_to_string(path).await?;
    Ok(raw
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect())
}

fn main() {}
