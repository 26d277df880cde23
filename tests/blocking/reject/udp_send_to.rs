//! A std UdpSocket send in a statsd client.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn emit(socket: &std::net::UdpSocket, metric: &str) -> std::io::Result<usize> {
    socket.send_to(metric.as_bytes(), "127.0.0.1:8125")
}

fn main() {}
