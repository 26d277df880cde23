//! diesel PgConnection::establish in async code.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn connect(url: &str) -> std::io::Result<diesel::PgConnection> {
    diesel::PgConnection::establish(url)
}

fn main() {}
