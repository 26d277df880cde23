//! `extra` takes a bracketed list of paths.
use taskgroup::deny_blocking;

#[deny_blocking(extra = my::sync_fn)]
async fn handler() {}

fn main() {}
