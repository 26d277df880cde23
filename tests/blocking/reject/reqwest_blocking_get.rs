//! reqwest::blocking::get in an async handler.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn fetch_page(url: &str) -> std::io::Result<String> {
    reqwest::blocking::get(url)?.text()
}

fn main() {}
