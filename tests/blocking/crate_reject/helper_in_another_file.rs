//! A crate of three files: the async fn calls `util::deep`, which
//! `util/mod.rs` re-exports from `util/inner.rs`, where it blocks.
#[path = "helper_in_another_file/util/mod.rs"]
mod util;

pub async fn handler() -> Vec<u8> {
    util::deep("data")
}
