//! `std::fs::write` imported by name at the top of the file.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};


use std::fs::write;

#[deny_blocking]
async fn save(report: String) -> std::io::Result<()> {
    write("report.txt", report)
}

fn main() {}
