//! An Arc<Mutex<Connection>> shared by handlers.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

use std::sync::{Arc, Mutex};

#[deny_blocking]
async fn delete_user(db: Arc<Mutex<rusqlite::Connection>>, id: &str) -> std::io::Result<usize> {
    db.lock().unwrap().execute("DELETE FROM users WHERE id = ?1", [id])
}

fn main() {}
