//! A tokio Runtime created and driven inside async code.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn nested_runtime() -> std::io::Result<u32> {
    let rt = tokio::runtime::Runtime::new()?;
    Ok(rt.block_on(async { 1 }))
}

fn main() {}
