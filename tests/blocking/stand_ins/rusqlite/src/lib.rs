//! Stand-in for the `rusqlite` crate.
//! Shared by every corpus case that uses it, so they all see the same API.

#![allow(clippy::all, dead_code)]

pub struct Connection;
pub struct Statement;
pub struct Row;
impl Connection {
    pub fn open(_path: &str) -> std::io::Result<Connection> {
        Ok(Connection)
    }
    pub fn execute<const N: usize>(
        &self,
        _sql: &str,
        _params: [&str; N],
    ) -> std::io::Result<usize> {
        Ok(0)
    }
    pub fn query_row<T, const N: usize>(
        &self,
        _sql: &str,
        _params: [&str; N],
        f: impl FnOnce(&Row) -> std::io::Result<T>,
    ) -> std::io::Result<T> {
        f(&Row)
    }
    pub fn prepare(&self, _sql: &str) -> std::io::Result<Statement> {
        Ok(Statement)
    }
}
impl Statement {
    pub fn query_map<T, const N: usize>(
        &mut self,
        _params: [&str; N],
        _f: impl FnMut(&Row) -> std::io::Result<T>,
    ) -> std::io::Result<Vec<T>> {
        Ok(Vec::new())
    }
}
impl Row {
    pub fn get<T: Default>(&self, _idx: usize) -> std::io::Result<T> {
        Ok(T::default())
    }
}
