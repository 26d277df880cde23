//! A CLI prompt reading stdin.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn confirm(prompt: &str) -> std::io::Result<bool> {
    println!("{prompt} [y/N]");
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer)?;
    Ok(answer.trim() == "y")
}

fn main() {}
