//! Stand-in for the `redis` crate.
//! Shared by every corpus case that uses it, so they all see the same API.

#![allow(clippy::all, dead_code)]

pub struct Client;
pub struct Connection;
pub struct Cmd;
impl Client {
    pub fn get_connection(&self) -> std::io::Result<Connection> {
        Ok(Connection)
    }
}
impl Connection {
    pub fn get(&mut self, _key: &str) -> std::io::Result<String> {
        Ok(String::new())
    }
}
impl Cmd {
    pub fn arg(&mut self, _a: &str) -> &mut Cmd {
        self
    }
    pub fn query<T: Default>(&self, _con: &mut Connection) -> std::io::Result<T> {
        Ok(T::default())
    }
}
pub fn cmd(_name: &str) -> Cmd {
    Cmd
}
