//! A blocking call inside `matches!`.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};


#[deny_blocking]
async fn is_regular(path: &str) -> bool {
    matches!(std::fs::metadata(path), Ok(m) if m.is_file())
}

fn main() {}
