//! Opening a sqlite database in a handler.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn open_store(path: &str) -> std::io::Result<rusqlite::Connection> {
    rusqlite::Connection::open(path)
}

fn main() {}
