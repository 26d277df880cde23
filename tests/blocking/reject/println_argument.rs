//! A blocking call inside println! arguments.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn show_version() -> std::io::Result<()> {
    println!("version {}", std::fs::read_to_string("VERSION")?);
    Ok(())
}

fn main() {}
