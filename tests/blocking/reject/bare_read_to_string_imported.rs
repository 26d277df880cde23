//! Bare `read_to_string(..)` imported from std::fs.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

use std::fs::read_to_string;

#[deny_blocking]
async fn load_template(name: &str) -> std::io::Result<String> {
    let body = read_to_string(format!("templates/{name}.html"))?;
    Ok(body)
}

fn main() {}
