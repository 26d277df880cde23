//! `File::open(p)?.read_to_string(..)` in one chain.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

use std::io::Read;

#[deny_blocking]
async fn read_secret(path: &str) -> std::io::Result<String> {
    let mut secret = String::new();
    std::fs::File::open(path)?.read_to_string(&mut secret)?;
    Ok(secret.trim().to_string())
}

fn main() {}
