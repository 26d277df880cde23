//! A closure in async code still runs on the executor.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn load_all(paths: &[String]) -> std::io::Result<Vec<Vec<u8>>> {
    paths.iter().map(|p| std::fs::read(p)).collect()
}

fn main() {}
