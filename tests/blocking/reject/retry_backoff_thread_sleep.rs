//! A retry loop that backs off with std::thread::sleep.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn fetch_with_retry(attempts: u32) -> Result<u32, String> {
    for attempt in 0..attempts {
        if attempt > 0 {
            std::thread::sleep(std::time::Duration::from_millis(100 * u64::from(attempt)));
        }
        if attempt == 2 {
            return Ok(attempt);
        }
    }
    Err("gave up".to_string())
}

fn main() {}
