//! An Arc<Mutex<Connection>> shared by handlers.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

/// Stand-in for the `rusqlite` crate.
#[path = "../stand_ins/rusqlite.rs"]
mod rusqlite;

use std::sync::{Arc, Mutex};

#[deny_blocking]
async fn delete_user(db: Arc<Mutex<rusqlite::Connection>>, id: &str) -> std::io::Result<usize> {
    db.lock().unwrap().execute("DELETE FROM users WHERE id = ?1", [id])
}

fn main() {}
