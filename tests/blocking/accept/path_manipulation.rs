//! Pure Path manipulation without file-system access.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn thumb_name(path: &str) -> Option<String> {
    let p = std::path::Path::new(path);
    let stem = p.file_stem()?.to_string_lossy().into_owned();
    Some(format!("{stem}.thumb.{}", p.extension()?.to_string_lossy()))
}

fn main() {}
