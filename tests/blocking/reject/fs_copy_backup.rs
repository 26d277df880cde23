//! Backing up a database file before a migration.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn backup_before_migration(db: &str) -> std::io::Result<u64> {
    std::fs::copy(db, format!("{db}.bak"))
}

fn main() {}
