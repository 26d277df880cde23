//! diesel PgConnection::establish in async code.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

/// Stand-in for the `diesel` crate.
#[path = "../stand_ins/diesel.rs"]
mod diesel;

#[deny_blocking]
async fn connect(url: &str) -> std::io::Result<diesel::PgConnection> {
    diesel::PgConnection::establish(url)
}

fn main() {}
