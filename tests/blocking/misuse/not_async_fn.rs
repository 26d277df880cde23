//! `#[deny_blocking]` on a plain fn says where it goes.
use taskgroup::deny_blocking;

#[deny_blocking]
fn load_config() -> String {
    String::new()
}

fn main() {}
