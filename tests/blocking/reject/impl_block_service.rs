//! `#[deny_blocking]` on an impl block of a service.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

struct UserService {
    root: String,
}

#[deny_blocking]
impl UserService {
    async fn avatar(&self, user: &str) -> std::io::Result<Vec<u8>> {
        std::fs::read(format!("{}/{user}.png", self.root))
    }

    fn root(&self) -> &str {
        &self.root
    }
}

fn main() {}
