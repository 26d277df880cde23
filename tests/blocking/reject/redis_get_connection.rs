//! A sync redis connection and GET.
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
async fn cached(client: &redis::Client, key: &str) -> std::io::Result<String> {
    let mut con = client.get_connection()?;
    con.get(key)
}

fn main() {}
