//! `std::fs` renamed by a `use` at the top of the file.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};


use std::fs as disk;

#[deny_blocking]
async fn template(name: &str) -> String {
    disk::read_to_string(name).unwrap_or_default()
}

fn main() {}
