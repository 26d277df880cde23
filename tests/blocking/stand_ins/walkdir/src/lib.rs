//! Stand-in for the `walkdir` crate (a recursive directory walk).
//! Shared by every corpus case that uses it, so they all see the same API.

#![allow(clippy::all, dead_code)]

use std::path::{Path, PathBuf};

pub struct WalkDir {
    root: PathBuf,
}
pub struct IntoIter;
pub struct DirEntry {
    path: PathBuf,
}
pub struct Error;
pub type Result<T> = std::result::Result<T, Error>;

impl WalkDir {
    pub fn new<P: AsRef<Path>>(root: P) -> WalkDir {
        WalkDir {
            root: root.as_ref().to_path_buf(),
        }
    }
    pub fn min_depth(self, _depth: usize) -> WalkDir {
        self
    }
    pub fn max_depth(self, _depth: usize) -> WalkDir {
        self
    }
    pub fn follow_links(self, _yes: bool) -> WalkDir {
        self
    }
}
impl IntoIterator for WalkDir {
    type Item = Result<DirEntry>;
    type IntoIter = IntoIter;
    fn into_iter(self) -> IntoIter {
        IntoIter
    }
}
impl Iterator for IntoIter {
    type Item = Result<DirEntry>;
    fn next(&mut self) -> Option<Result<DirEntry>> {
        None
    }
}
impl DirEntry {
    pub fn path(&self) -> &Path {
        &self.path
    }
    pub fn depth(&self) -> usize {
        0
    }
}
