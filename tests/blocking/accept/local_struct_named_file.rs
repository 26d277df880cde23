//! A local struct named File in the annotated module.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
mod files {
    pub struct File;

    impl File {
        pub fn open(_name: &str) -> Option<File> {
            Some(File)
        }
    }

    pub async fn exists(name: &str) -> bool {
        File::open(name).is_some()
    }
}

fn main() {}
