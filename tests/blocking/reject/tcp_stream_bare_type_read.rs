//! Reading from a parameter typed with a bare `TcpStream`.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

use std::io::Read;
use std::net::TcpStream;

#[deny_blocking]
async fn read_header(mut stream: TcpStream) -> std::io::Result<[u8; 4]> {
    let mut header = [0u8; 4];
    stream.read_exact(&mut header)?;
    Ok(header)
}

fn main() {}
