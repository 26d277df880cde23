//! A mysql pool connection and query in async code.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

/// Stand-in for the `mysql` crate.
mod mysql {
    pub struct Pool;
    pub struct PooledConn;
    impl Pool {
        pub fn get_conn(&self) -> std::io::Result<PooledConn> { Ok(PooledConn) }
    }
    impl PooledConn {
        pub fn query_drop(&mut self, _sql: &str) -> std::io::Result<()> { Ok(()) }
    }
}

#[deny_blocking]
async fn touch(pool: &mysql::Pool) -> std::io::Result<()> {
    let mut conn = pool.get_conn()?;
    conn.query_drop("UPDATE heartbeat SET at = NOW()")
}

fn main() {}
