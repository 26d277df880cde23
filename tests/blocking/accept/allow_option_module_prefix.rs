//! `allow = [std::fs]` allows a whole module.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking(allow = [std::fs])]
async fn cli_main(path: &str) -> std::io::Result<()> {
    std::fs::create_dir_all(path)?;
    std::fs::write(format!("{path}/init"), "ok")
}

fn main() {}
