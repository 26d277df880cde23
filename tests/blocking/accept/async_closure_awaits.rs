//! An async closure that awaits tokio::fs.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn run_hooks() {
    let hook = async |name: &str| {
        let _ = tokio::fs::read_to_string(name).await;
    };
    hook("pre-start").await;
}

fn main() {}
