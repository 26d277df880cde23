//! Opening a sqlite database in a handler.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

/// Stand-in for the `rusqlite` crate.
mod rusqlite {
    pub struct Connection;
    pub struct Statement;
    pub struct Row;
    impl Connection {
        pub fn open(_path: &str) -> std::io::Result<Connection> { Ok(Connection) }
        pub fn execute<const N: usize>(&self, _sql: &str, _params: [&str; N]) -> std::io::Result<usize> { Ok(0) }
        pub fn query_row<T, const N: usize>(
            &self,
            _sql: &str,
            _params: [&str; N],
            f: impl FnOnce(&Row) -> std::io::Result<T>,
        ) -> std::io::Result<T> {
            f(&Row)
        }
        pub fn prepare(&self, _sql: &str) -> std::io::Result<Statement> { Ok(Statement) }
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
        pub fn get<T: Default>(&self, _idx: usize) -> std::io::Result<T> { Ok(T::default()) }
    }
}

#[deny_blocking]
async fn open_store(path: &str) -> std::io::Result<rusqlite::Connection> {
    rusqlite::Connection::open(path)
}

fn main() {}
