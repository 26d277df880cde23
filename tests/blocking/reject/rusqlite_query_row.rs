//! rusqlite query_row through a &Connection.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn user_name(conn: &rusqlite::Connection, id: &str) -> std::io::Result<String> {
    conn.query_row("SELECT name FROM users WHERE id = ?1", [id], |row| row.get(0))
}

fn main() {}
