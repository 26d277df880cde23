//! The tour lives beside this file (`cargo run --example tour`); it has a
//! package of its own so that the first command a newcomer runs builds only
//! taskgroup and tokio, not the HTTP stack of the other examples.
