//! An async fn nobody annotated: the whole-crate check looks at every one.
use std::fs;

pub async fn handler() -> String {
    fs::read_to_string("config.toml").unwrap()
}
