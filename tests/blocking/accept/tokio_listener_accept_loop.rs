//! A tokio TcpListener accept loop.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

use tokio::net::TcpListener;

#[deny_blocking]
async fn serve(addr: &str) -> std::io::Result<()> {
    let listener = TcpListener::bind(addr).await?;
    loop {
        let (socket, _peer) = listener.accept().await?;
        tokio::spawn(async move {
            let _ = socket;
        });
    }
}

fn main() {}
