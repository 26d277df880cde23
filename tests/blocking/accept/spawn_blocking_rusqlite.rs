//! A sync database call moved into spawn_blocking.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn user_name(path: String, id: String) -> std::io::Result<String> {
    tokio::task::spawn_blocking(move || {
        let conn = rusqlite::Connection::open(&path)?;
        conn.query_row("SELECT name FROM users WHERE id = ?1", [id.as_str()], |row| row.get(0))
    })
    .await?
}

fn main() {}
