//! Resolving a requested path against a static root.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn resolve_static(root: &str, requested: &str) -> std::io::Result<bool> {
    let full = std::fs::canonicalize(format!("{root}/{requested}"))?;
    Ok(full.starts_with(root))
}

fn main() {}
