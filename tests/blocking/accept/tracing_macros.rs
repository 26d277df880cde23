//! tracing macros with plain arguments.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn handle(id: u64) -> u64 {
    tracing::info!("handling {}", id);
    tracing::debug!(id, "done");
    id
}

fn main() {}
