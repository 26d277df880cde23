//! Strings and comments that mention blocking APIs.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn help_text() -> &'static str {
    // Never call std::thread::sleep(..) here; see docs.
    /* std::fs::read_to_string(path) is blocking */
    "use tokio::time::sleep instead of std::thread::sleep(d)"
}

fn main() {}
