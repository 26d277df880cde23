//! An r2d2 pool checkout in a handler.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

/// Stand-ins for the `r2d2` and `r2d2_sqlite` crates.
mod r2d2 {
    pub struct Pool<M>(pub M);
    pub struct PooledConnection<M>(pub M);
    impl<M: Clone> Pool<M> {
        pub fn get(&self) -> std::io::Result<PooledConnection<M>> { Ok(PooledConnection(self.0.clone())) }
    }
    impl<M> PooledConnection<M> {
        pub fn execute<const N: usize>(&self, _sql: &str, _params: [&str; N]) -> std::io::Result<usize> { Ok(0) }
    }
}
#[derive(Clone)]
struct SqliteConnectionManager;

#[deny_blocking]
async fn insert_event(pool: &r2d2::Pool<SqliteConnectionManager>, name: &str) -> std::io::Result<usize> {
    let conn = pool.get()?;
    conn.execute("INSERT INTO events (name) VALUES (?1)", [name])
}

fn main() {}
