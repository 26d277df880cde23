//! A glob of `tokio::time`: `sleep(d)` handed to a user fn that awaits it.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};


use std::future::Future;
use std::time::Duration;
use tokio::time::*;

async fn labelled<F: Future>(label: &str, fut: F) -> F::Output {
    let out = fut.await;
    println!("{label} done");
    out
}

#[deny_blocking]
async fn tick(d: Duration) {
    let tick = labelled("tick", sleep(d));
    tick.await;
}

fn main() {}
