//! ureq agent send_string in async code.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn post_event(body: &str) -> bool {
    let agent = ureq::agent();
    agent.post("https://events.local/ingest").send_string(body).is_ok()
}

fn main() {}
