//! thread::Builder::spawn with a blocking closure.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn start_indexer() -> std::io::Result<()> {
    std::thread::Builder::new().name("indexer".into()).spawn(|| {
        std::thread::sleep(std::time::Duration::from_secs(1));
    })?;
    Ok(())
}

fn main() {}
