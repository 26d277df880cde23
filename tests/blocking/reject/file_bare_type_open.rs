//! `File::open` with std's import outside the view, unawaited.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

use std::fs::File;

#[deny_blocking]
async fn has_license(path: &str) -> bool {
    File::open(path).is_ok()
}

fn main() {}
