//! Stand-in for the `tempfile` crate (named temporary files, anonymous
//! temporary files and temporary directories).
//! Shared by every corpus case that uses it, so they all see the same API.

#![allow(clippy::all, dead_code)]

use std::io;
use std::path::{Path, PathBuf};

fn stand_in() -> io::Error {
    io::Error::new(io::ErrorKind::Unsupported, "tempfile stand-in")
}

pub struct NamedTempFile {
    path: PathBuf,
}
impl NamedTempFile {
    pub fn new() -> io::Result<NamedTempFile> {
        Err(stand_in())
    }
    pub fn new_in<P: AsRef<Path>>(_dir: P) -> io::Result<NamedTempFile> {
        Err(stand_in())
    }
    pub fn path(&self) -> &Path {
        &self.path
    }
}
impl io::Write for NamedTempFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

pub struct TempDir {
    path: PathBuf,
}
impl TempDir {
    pub fn new() -> io::Result<TempDir> {
        Err(stand_in())
    }
    pub fn path(&self) -> &Path {
        &self.path
    }
}

pub fn tempfile() -> io::Result<std::fs::File> {
    Err(stand_in())
}
pub fn tempfile_in<P: AsRef<Path>>(_dir: P) -> io::Result<std::fs::File> {
    Err(stand_in())
}
pub fn tempdir() -> io::Result<TempDir> {
    Err(stand_in())
}
pub fn tempdir_in<P: AsRef<Path>>(_dir: P) -> io::Result<TempDir> {
    Err(stand_in())
}
