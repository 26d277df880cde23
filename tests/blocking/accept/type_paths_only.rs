//! Type paths that mention blocking types.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn describe(
    _file: Option<std::fs::File>,
    _rx: Option<std::sync::mpsc::Receiver<u8>>,
) -> std::io::Result<std::process::ExitStatus> {
    Err(std::io::Error::other("not run"))
}

fn main() {}
