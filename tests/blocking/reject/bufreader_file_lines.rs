//! `lines()` over a `BufReader` of a std file: file I/O, not stdin.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};


use std::io::{BufRead, BufReader};

#[deny_blocking]
async fn count_lines(file: std::fs::File) -> usize {
    BufReader::new(file).lines().count()
}

fn main() {}
