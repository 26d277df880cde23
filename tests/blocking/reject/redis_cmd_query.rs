//! redis::cmd(..).query(&mut con) in async code.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

/// Stand-in for the `redis` crate.
mod redis {
    pub struct Client;
    pub struct Connection;
    pub struct Cmd;
    impl Client {
        pub fn get_connection(&self) -> std::io::Result<Connection> { Ok(Connection) }
    }
    impl Connection {
        pub fn get(&mut self, _key: &str) -> std::io::Result<String> { Ok(String::new()) }
    }
    impl Cmd {
        pub fn arg(&mut self, _a: &str) -> &mut Cmd { self }
        pub fn query<T: Default>(&self, _con: &mut Connection) -> std::io::Result<T> { Ok(T::default()) }
    }
    pub fn cmd(_name: &str) -> Cmd { Cmd }
}

#[deny_blocking]
async fn ttl(con: &mut redis::Connection, key: &str) -> std::io::Result<i64> {
    redis::cmd("TTL").arg(key).query(con)
}

fn main() {}
