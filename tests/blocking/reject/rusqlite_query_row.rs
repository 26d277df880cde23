//! rusqlite query_row through a &Connection.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

/// Stand-in for the `rusqlite` crate.
#[path = "../stand_ins/rusqlite.rs"]
mod rusqlite;

#[deny_blocking]
async fn user_name(conn: &rusqlite::Connection, id: &str) -> std::io::Result<String> {
    conn.query_row("SELECT name FROM users WHERE id = ?1", [id], |row| row.get(0))
}

fn main() {}
