//! A health check dialing a TCP port with std::net.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn port_open(addr: &str) -> bool {
    std::net::TcpStream::connect(addr).is_ok()
}

fn main() {}
