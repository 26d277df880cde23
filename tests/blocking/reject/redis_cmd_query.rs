//! redis::cmd(..).query(&mut con) in async code.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn ttl(con: &mut redis::Connection, key: &str) -> std::io::Result<i64> {
    redis::cmd("TTL").arg(key).query(con)
}

fn main() {}
