//! An impl method marked #[allow_blocking].
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

struct Migrator;

#[deny_blocking]
impl Migrator {
    #[allow_blocking]
    async fn run_once(&self) -> bool {
        std::path::Path::new("migrations").exists()
    }

    async fn status(&self) -> u8 {
        0
    }
}

fn main() {}
