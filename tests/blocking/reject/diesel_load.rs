//! A diesel query loaded through a &mut PgConnection.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

/// Stand-in for the `diesel` crate.
mod diesel {
    pub struct PgConnection;
    impl PgConnection {
        pub fn establish(_url: &str) -> std::io::Result<PgConnection> { Ok(PgConnection) }
    }
    pub struct Query;
    impl Query {
        pub fn load<T>(self, _conn: &mut PgConnection) -> std::io::Result<Vec<T>> { Ok(Vec::new()) }
    }
    pub fn users() -> Query { Query }
}

#[deny_blocking]
async fn all_users(conn: &mut diesel::PgConnection) -> std::io::Result<Vec<String>> {
    diesel::users().load::<String>(conn)
}

fn main() {}
