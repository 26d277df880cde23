//! A statement marked #[allow_blocking].
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn calibrate() -> u32 {
    #[allow_blocking]
    std::thread::sleep(std::time::Duration::from_millis(1));
    1
}

fn main() {}
