//! DNS through tokio::net::lookup_host.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn resolve(host: &str) -> std::io::Result<usize> {
    Ok(tokio::net::lookup_host(host).await?.count())
}

fn main() {}
