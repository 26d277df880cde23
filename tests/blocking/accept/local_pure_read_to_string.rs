//! A pure local `fn read_to_string(&[u8])` at the top of the file.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};


fn read_to_string(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[deny_blocking]
async fn decode(body: Vec<u8>) -> String {
    let text = read_to_string(&body);
    text.trim().to_string()
}

fn main() {}
