//! Creating a reqwest::blocking::Client inside async code.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

/// Stand-in for the `reqwest` crate (blocking and async clients).
#[path = "../stand_ins/reqwest.rs"]
mod reqwest;

#[deny_blocking]
async fn make_client() -> usize {
    let _client = reqwest::blocking::Client::new();
    1
}

fn main() {}
