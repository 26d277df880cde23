//! A diesel query inside spawn_blocking.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn all_users(url: String) -> std::io::Result<Vec<String>> {
    tokio::task::spawn_blocking(move || {
        let mut conn = diesel::PgConnection::establish(&url)?;
        diesel::users().load::<String>(&mut conn)
    })
    .await?
}

fn main() {}
