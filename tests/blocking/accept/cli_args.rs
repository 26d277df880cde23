//! Reading CLI arguments is not blocking.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn cli() -> Vec<String> {
    std::env::args().skip(1).collect()
}

fn main() {}
