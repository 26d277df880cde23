//! An async HTTP client awaited.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn fetch_page(client: &reqwest::Client, url: &str) -> std::io::Result<String> {
    client.get(url).header("accept", "text/html").send().await?.text().await
}

fn main() {}
