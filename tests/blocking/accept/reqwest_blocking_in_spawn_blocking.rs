//! A blocking HTTP client used inside spawn_blocking.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn fetch_legacy(url: String) -> std::io::Result<String> {
    tokio::task::spawn_blocking(move || reqwest::blocking::get(&url)?.text()).await?
}

fn main() {}
