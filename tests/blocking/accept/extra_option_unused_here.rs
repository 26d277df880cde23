//! `extra = [..]` does not flag other functions.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

mod legacy {
    pub fn load_settings() -> String {
        String::new()
    }

    pub fn version() -> u32 {
        1
    }
}

#[deny_blocking(extra = [legacy::load_settings])]
async fn version() -> u32 {
    legacy::version()
}

fn main() {}
