//! A module fn named read_to_string in the annotated module.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
mod templates {
    fn read_to_string(name: &str) -> String {
        format!("<h1>{name}</h1>")
    }

    pub async fn render(name: &str) -> String {
        read_to_string(name)
    }
}

fn main() {}
