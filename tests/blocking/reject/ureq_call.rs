//! ureq's call() in an async handler.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn weather(city: &str) -> std::io::Result<String> {
    ureq::get(&format!("https://wttr.in/{city}")).set("Accept", "text/plain").call()?.into_string()
}

fn main() {}
