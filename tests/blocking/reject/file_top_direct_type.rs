//! `TcpStream` imported by name at the top of the file; the call is returned, not `?`-ed.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};


use std::net::TcpStream;

#[deny_blocking]
async fn dial(addr: &str) -> std::io::Result<TcpStream> {
    TcpStream::connect(addr)
}

fn main() {}
