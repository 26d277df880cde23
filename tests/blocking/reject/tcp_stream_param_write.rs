//! Writing to a std TcpStream parameter.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

use std::io::Write;

#[deny_blocking]
async fn send_frame(stream: &mut std::net::TcpStream, frame: &[u8]) -> std::io::Result<()> {
    stream.write_all(frame)
}

fn main() {}
