//! `thread::sleep` reaches the fn through a glob of the crate's own prelude,
//! which the check does not follow: the finding says it assumed std's.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

mod prelude {
    pub use std::thread;
    pub use std::time::Duration;
}

use prelude::*;

#[deny_blocking]
async fn pause() {
    thread::sleep(Duration::from_millis(10));
}

fn main() {}
