//! An annotated module importing tokio's sleep.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
mod retry {
    use std::time::Duration;
    use tokio::time::sleep;

    pub async fn with_backoff(attempts: u32) -> u32 {
        for i in 0..attempts {
            sleep(Duration::from_millis(10 * u64::from(i))).await;
        }
        attempts
    }
}

fn main() {}
