//! A std TcpListener accepting in an async server loop.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn serve_one(addr: &str) -> std::io::Result<std::net::SocketAddr> {
    let listener = std::net::TcpListener::bind(addr)?;
    let (_stream, peer) = listener.accept()?;
    Ok(peer)
}

fn main() {}
