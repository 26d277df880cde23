//! A user function listed with `extra = [..]`.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

mod legacy {
    pub fn load_settings() -> String {
        String::new()
    }
}

#[deny_blocking(extra = [legacy::load_settings])]
async fn settings() -> String {
    legacy::load_settings()
}

fn main() {}
