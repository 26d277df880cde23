//! Reading a locked stdin in a REPL.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

use std::io::BufRead;

#[deny_blocking]
async fn repl_line() -> std::io::Result<String> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line)
}

fn main() {}
