//! Opening a sqlite database in a handler.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

/// Stand-in for the `rusqlite` crate.
#[path = "../stand_ins/rusqlite.rs"]
mod rusqlite;

#[deny_blocking]
async fn open_store(path: &str) -> std::io::Result<rusqlite::Connection> {
    rusqlite::Connection::open(path)
}

fn main() {}
