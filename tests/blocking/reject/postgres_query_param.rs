//! A sync postgres query through a &mut Client.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn count_orders(client: &mut postgres::Client, user: i64) -> std::io::Result<usize> {
    Ok(client.query("SELECT id FROM orders WHERE user_id = $1", &[&user])?.len())
}

fn main() {}
