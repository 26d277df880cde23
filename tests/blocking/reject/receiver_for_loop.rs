//! A for loop over a std Receiver in an event handler.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn drain_events(events: std::sync::mpsc::Receiver<String>) -> usize {
    let mut total = 0;
    for event in events {
        total += event.len();
    }
    total
}

fn main() {}
