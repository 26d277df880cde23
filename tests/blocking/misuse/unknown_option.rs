//! An unknown option is a spanned error that says what to write.
use taskgroup::deny_blocking;

#[deny_blocking(extras = [my::sync_fn])]
async fn handler() {}

fn main() {}
