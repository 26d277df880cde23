//! Procedural macros for [`taskgroup`](https://docs.rs/taskgroup): `gather!`,
//! `#[task_group]`, `#[deny_blocking]` and `#[allow_blocking]`.
//!
//! Use them through the `taskgroup` crate, which re-exports them and provides
//! the runtime they expand to.

mod blocking;

use proc_macro::TokenStream;

/// Rejects known blocking calls inside async code at compile time.
///
/// See the `taskgroup` crate documentation for the catalogue and the rules.
#[proc_macro_attribute]
pub fn deny_blocking(attr: TokenStream, item: TokenStream) -> TokenStream {
    blocking::expand_deny_blocking(attr.into(), item.into()).into()
}

/// Marks an item as allowed to block; the blocking-call check skips it.
///
/// On statements and expressions inside checked code the checker removes the
/// attribute itself, so it needs no unstable features there.
#[proc_macro_attribute]
pub fn allow_blocking(attr: TokenStream, item: TokenStream) -> TokenStream {
    blocking::expand_allow_blocking(attr.into(), item.into()).into()
}
