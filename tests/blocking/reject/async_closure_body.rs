//! An async closure is async code.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn run_hooks() {
    let hook = async |name: &str| {
        let _ = std::fs::read_to_string(name);
    };
    hook("pre-start").await;
}

fn main() {}
