//! `mpsc::channel()` with std's import outside the view.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

use std::sync::mpsc;
use std::time::Duration;

#[deny_blocking]
async fn wait_for_ack() -> bool {
    let (_tx, rx) = mpsc::channel::<()>();
    rx.recv_timeout(Duration::from_millis(500)).is_ok()
}

fn main() {}
