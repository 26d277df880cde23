//! tokio RwLock blocking_read in async code.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn current_config(cfg: &tokio::sync::RwLock<String>) -> String {
    cfg.blocking_read().clone()
}

fn main() {}
