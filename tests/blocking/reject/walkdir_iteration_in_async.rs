//! Counting the source files under a directory with walkdir in an async fn.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};
use walkdir::WalkDir;

#[deny_blocking]
async fn count_sources(root: &str) -> usize {
    let mut count = 0;
    for entry in WalkDir::new(root).max_depth(8) {
        let Ok(entry) = entry else { continue };
        if entry.path().extension().is_some_and(|e| e == "rs") {
            count += 1;
        }
    }
    count
}

fn main() {}
