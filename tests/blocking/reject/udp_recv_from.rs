//! A std UdpSocket receive in a metrics listener.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn next_metric(socket: &std::net::UdpSocket) -> std::io::Result<usize> {
    let mut buf = [0u8; 1500];
    let (n, _from) = socket.recv_from(&mut buf)?;
    Ok(n)
}

fn main() {}
