//! `#[allow_blocking]` takes no arguments.
use taskgroup::allow_blocking;

#[allow_blocking(reason = "startup")]
async fn warm_up() {}

fn main() {}
