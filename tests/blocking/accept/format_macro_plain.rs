//! format! with plain arguments.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn greeting(name: &str) -> String {
    format!("hello, {}!", name.to_uppercase())
}

fn main() {}
