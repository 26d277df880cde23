//! Stand-in for the `postgres` crate.
//! Shared by every corpus case that uses it, so they all see the same API.

#![allow(clippy::all, dead_code)]

pub struct Client;
pub struct NoTls;
pub struct Row;
impl Client {
    pub fn connect(_url: &str, _tls: NoTls) -> std::io::Result<Client> {
        Ok(Client)
    }
    pub fn query(&mut self, _sql: &str, _params: &[&i64]) -> std::io::Result<Vec<Row>> {
        Ok(Vec::new())
    }
    pub fn execute(&mut self, _sql: &str, _params: &[&i64]) -> std::io::Result<u64> {
        Ok(0)
    }
}
