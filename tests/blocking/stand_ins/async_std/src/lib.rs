//! Stand-in for the `async_std` crate.

#![allow(clippy::all, dead_code)]

pub mod task {
    pub fn block_on<F: std::future::Future>(_f: F) -> F::Output {
        todo!()
    }
}
