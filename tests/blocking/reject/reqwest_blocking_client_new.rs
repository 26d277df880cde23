//! Creating a reqwest::blocking::Client inside async code.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn make_client() -> usize {
    let _client = reqwest::blocking::Client::new();
    1
}

fn main() {}
