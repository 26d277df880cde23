//! reqwest::blocking::get in an async handler.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

/// Stand-in for the `reqwest` crate (blocking and async clients).
#[path = "../stand_ins/reqwest.rs"]
mod reqwest;

#[deny_blocking]
async fn fetch_page(url: &str) -> std::io::Result<String> {
    reqwest::blocking::get(url)?.text()
}

fn main() {}
