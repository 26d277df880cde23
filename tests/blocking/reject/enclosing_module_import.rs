//! `#[deny_blocking]` on an fn inside an inline module sees that module's `use` items.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};


mod jobs {
    use std::process::Command;

    use super::deny_blocking;

    #[deny_blocking]
    pub async fn git_head() -> Vec<u8> {
        let mut git = Command::new("git");
        git.args(["rev-parse", "HEAD"]);
        git.output().map(|o| o.stdout).unwrap_or_default()
    }
}

fn main() {}
