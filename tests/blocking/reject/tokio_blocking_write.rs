//! tokio RwLock blocking_write in async code.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn set_config(cfg: &tokio::sync::RwLock<String>, value: String) {
    *cfg.blocking_write() = value;
}

fn main() {}
