//! An atomic write: write a temp file, then rename.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn save_state(path: &str, state: &str) -> std::io::Result<()> {
    let tmp = format!("{path}.tmp");
    std::fs::write(&tmp, state)?;
    std::fs::rename(&tmp, path)
}

fn main() {}
