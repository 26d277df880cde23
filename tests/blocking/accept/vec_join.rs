//! `Vec<String>::join` shares a name with JoinHandle::join.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn csv_line(fields: Vec<String>) -> String {
    fields.join(",")
}

fn main() {}
