//! An async query API with an awaited execute.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

struct Pool;
struct Query;

impl Query {
    async fn execute(self, _pool: &Pool) -> u64 {
        1
    }
}

fn query(_sql: &str) -> Query {
    Query
}

#[deny_blocking]
async fn insert(pool: &Pool) -> u64 {
    query("INSERT INTO t VALUES (1)").execute(pool).await
}

fn main() {}
