//! A call through an in-crate `pub use` to the crate's own async `sleep`,
//! awaited: not std's.
mod clock {
    pub async fn sleep(_ms: u64) {}
}

pub use clock::sleep;

pub async fn handler() {
    crate::sleep(10).await;
}
