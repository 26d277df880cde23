//! A current-thread runtime built and blocked on in a chain.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn run_sync_part() -> std::io::Result<u32> {
    Ok(tokio::runtime::Builder::new_current_thread().enable_all().build()?.block_on(async { 2 }))
}

fn main() {}
