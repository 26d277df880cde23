//! A sync redis connection and GET.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn cached(client: &redis::Client, key: &str) -> std::io::Result<String> {
    let mut con = client.get_connection()?;
    con.get(key)
}

fn main() {}
