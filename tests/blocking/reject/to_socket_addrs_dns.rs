//! A DNS lookup through ToSocketAddrs.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

use std::net::ToSocketAddrs;

#[deny_blocking]
async fn resolve(host: &str, port: u16) -> std::io::Result<usize> {
    Ok(format!("{host}:{port}").to_socket_addrs()?.count())
}

fn main() {}
