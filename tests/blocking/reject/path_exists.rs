//! `Path::new(p).exists()` stats the file system.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn has_migration(name: &str) -> bool {
    std::path::Path::new("migrations").join(name).exists()
}

fn main() {}
