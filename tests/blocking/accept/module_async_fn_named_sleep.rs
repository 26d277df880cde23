//! `mod x { pub async fn sleep }` called as x::sleep().await.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
mod timers {
    mod x {
        pub async fn sleep(ms: u64) {
            tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
        }
    }

    pub async fn tick() {
        x::sleep(5).await;
    }
}

fn main() {}
