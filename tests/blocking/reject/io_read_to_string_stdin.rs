//! std::io::read_to_string over stdin in a CLI.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn read_input() -> std::io::Result<String> {
    std::io::read_to_string(std::io::stdin())
}

fn main() {}
