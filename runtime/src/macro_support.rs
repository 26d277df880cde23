//! Items the macros' expansions name. Not a public API: no stability promise.

pub use crate::gather::settle;
