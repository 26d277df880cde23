//! Creating an upload directory per tenant.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn prepare_tenant(root: &str, tenant: &str) -> std::io::Result<String> {
    let dir = format!("{root}/{tenant}");
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

fn main() {}
