//! A sync postgres query through a &mut Client.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

/// Stand-in for the `postgres` crate.
mod postgres {
    pub struct Client;
    pub struct NoTls;
    pub struct Row;
    impl Client {
        pub fn connect(_url: &str, _tls: NoTls) -> std::io::Result<Client> { Ok(Client) }
        pub fn query(&mut self, _sql: &str, _params: &[&i64]) -> std::io::Result<Vec<Row>> { Ok(Vec::new()) }
        pub fn execute(&mut self, _sql: &str, _params: &[&i64]) -> std::io::Result<u64> { Ok(0) }
    }
}

#[deny_blocking]
async fn count_orders(client: &mut postgres::Client, user: i64) -> std::io::Result<usize> {
    Ok(client.query("SELECT id FROM orders WHERE user_id = $1", &[&user])?.len())
}

fn main() {}
