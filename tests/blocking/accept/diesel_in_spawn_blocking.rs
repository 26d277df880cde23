//! A diesel query inside spawn_blocking.
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
async fn all_users(url: String) -> std::io::Result<Vec<String>> {
    tokio::task::spawn_blocking(move || {
        let mut conn = diesel::PgConnection::establish(&url)?;
        diesel::users().load::<String>(&mut conn)
    })
    .await?
}

fn main() {}
