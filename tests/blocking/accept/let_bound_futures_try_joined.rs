//! Futures bound by let and handed to try_join!.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

use tokio::fs;

#[deny_blocking]
async fn load_both(a: &str, b: &str) -> std::io::Result<usize> {
    let users = fs::read_to_string(a);
    let orders = fs::read_to_string(b);
    let (users, orders) = tokio::try_join!(users, orders)?;
    Ok(users.len() + orders.len())
}

fn main() {}
