//! An annotated impl whose sync methods may block.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

struct Exporter {
    path: String,
}

#[deny_blocking]
impl Exporter {
    fn write_sync(&self, body: &str) -> std::io::Result<()> {
        std::fs::write(&self.path, body)
    }

    async fn export(&self, body: String) -> std::io::Result<()> {
        tokio::fs::write(&self.path, body).await
    }
}

fn main() {}
