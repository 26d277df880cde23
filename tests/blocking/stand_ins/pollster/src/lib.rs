//! Stand-in for the `pollster` crate.

#![allow(clippy::all, dead_code)]

pub fn block_on<F: std::future::Future>(_f: F) -> F::Output {
    todo!()
}
