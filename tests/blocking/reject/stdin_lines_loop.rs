//! A CLI loop over stdin lines.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn count_commands() -> usize {
    let mut n = 0;
    for line in std::io::stdin().lines() {
        if line.is_ok() {
            n += 1;
        }
    }
    n
}

fn main() {}
