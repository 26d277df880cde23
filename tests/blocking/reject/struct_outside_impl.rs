//! The struct is defined outside the annotated `impl`, its field typed by a file-level import.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};


use std::sync::Mutex;
use rusqlite::Connection;

struct Repo {
    db: Mutex<Connection>,
}

#[deny_blocking]
impl Repo {
    async fn touch(&self, id: &str) {
        let db = self.db.lock().unwrap();
        let _ = db.execute("UPDATE users SET seen = 1 WHERE id = ?1", [id]);
    }
}

fn main() {}
