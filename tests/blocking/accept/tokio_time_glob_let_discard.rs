//! `use tokio::time::*;` at the top of the file, then `let _ = sleep(d);`:
//! the glob can supply `sleep` (it does: tokio's), so it is not guessed to
//! be `std::thread::sleep`.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

use std::time::Duration;
use tokio::time::*;

#[deny_blocking]
async fn discarded(d: Duration) {
    let _ = sleep(d);
}

fn main() {}
