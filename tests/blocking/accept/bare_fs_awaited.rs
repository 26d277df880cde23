//! `fs::read_to_string(..).await` with tokio's fs imported outside the view.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

use tokio::fs;

#[deny_blocking]
async fn load_template(name: &str) -> std::io::Result<String> {
    fs::read_to_string(format!("templates/{name}.html")).await
}

fn main() {}
