//! A diesel query loaded through a &mut PgConnection.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn all_users(conn: &mut diesel::PgConnection) -> std::io::Result<Vec<String>> {
    diesel::users().load::<String>(conn)
}

fn main() {}
