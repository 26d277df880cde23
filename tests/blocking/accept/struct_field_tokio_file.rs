//! A struct field holding a tokio File in the annotated module.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
mod journal {
    pub struct Journal {
        pub file: tokio::fs::File,
    }

    impl Journal {
        pub async fn commit(&self) -> std::io::Result<()> {
            self.file.sync_all().await
        }
    }
}

fn main() {}
