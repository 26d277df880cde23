//! Stand-in for the `diesel` crate.
//! Shared by every corpus case that uses it, so they all see the same API.

#![allow(clippy::all, dead_code)]

pub struct PgConnection;
impl PgConnection {
    pub fn establish(_url: &str) -> std::io::Result<PgConnection> {
        Ok(PgConnection)
    }
}
pub struct Query;
impl Query {
    pub fn load<T>(self, _conn: &mut PgConnection) -> std::io::Result<Vec<T>> {
        Ok(Vec::new())
    }
}
pub fn users() -> Query {
    Query
}
