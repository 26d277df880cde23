//! A tokio TcpStream connect and write.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

#[deny_blocking]
async fn send_frame(addr: &str, frame: &[u8]) -> std::io::Result<()> {
    let mut stream = TcpStream::connect(addr).await?;
    stream.write_all(frame).await
}

fn main() {}
