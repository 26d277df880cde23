//! std mpsc Sender::send never blocks (unbounded).
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn log_event(tx: std::sync::mpsc::Sender<String>, event: &str) -> bool {
    tx.send(event.to_string()).is_ok()
}

fn main() {}
