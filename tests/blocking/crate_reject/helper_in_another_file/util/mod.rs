//! Part of the `helper_in_another_file.rs` case.
mod inner;

pub use self::inner::deep;
