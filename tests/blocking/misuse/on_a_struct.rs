//! `#[deny_blocking]` on an item without async code.
use taskgroup::deny_blocking;

#[deny_blocking]
struct Config {
    path: String,
}

fn main() {}
