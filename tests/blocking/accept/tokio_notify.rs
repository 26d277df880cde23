//! tokio Notify notified().await.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn wait_ready(notify: &tokio::sync::Notify) {
    notify.notified().await;
}

fn main() {}
