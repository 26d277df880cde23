//! Sending through a reqwest::blocking::Client parameter.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn notify(client: &reqwest::blocking::Client, hook: &str) -> std::io::Result<u16> {
    let resp = client.post(hook).header("content-type", "application/json").body("{}".into()).send()?;
    Ok(resp.status())
}

fn main() {}
