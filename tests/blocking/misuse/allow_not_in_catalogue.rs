//! `allow = [..]` must name catalogue paths, so typos do not pass silently.
use taskgroup::deny_blocking;

#[deny_blocking(allow = [std::fs::read_to_strin])]
async fn handler() {}

fn main() {}
