//! tokio RwLock read().await.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn current_config(cfg: &tokio::sync::RwLock<String>) -> String {
    cfg.read().await.clone()
}

fn main() {}
