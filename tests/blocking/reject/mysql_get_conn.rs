//! A mysql pool connection and query in async code.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn touch(pool: &mysql::Pool) -> std::io::Result<()> {
    let mut conn = pool.get_conn()?;
    conn.query_drop("UPDATE heartbeat SET at = NOW()")
}

fn main() {}
