//! Iterating `listener.incoming()` in async code.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

use std::net::TcpListener;

#[deny_blocking]
async fn serve(addr: &str) -> std::io::Result<()> {
    let listener = TcpListener::bind(addr)?;
    for stream in listener.incoming() {
        let _stream = stream?;
    }
    Ok(())
}

fn main() {}
