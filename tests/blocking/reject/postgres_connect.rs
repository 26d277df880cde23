//! postgres::Client::connect in async code.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn open_db(url: &str) -> std::io::Result<postgres::Client> {
    postgres::Client::connect(url, postgres::NoTls)
}

fn main() {}
