//! The blocking-call check behind [`taskgroup`](https://docs.rs/taskgroup)'s
//! `#[deny_blocking]`: a [`catalogue`] of known blocking APIs and a
//! syntax-level [`Checker`] that finds them in async code.
//!
//! The check needs no type information: it resolves paths through the `use`
//! items in view, tracks receivers built by known constructors, and takes
//! `.await` as evidence that an ambiguous call is the async alternative.
//! Findings are `syn::Error`s at the call's span with what to write instead.
//! The attribute macros in `taskgroup-macros` are one front end.
//!
//! ```
//! use taskgroup_blocking::{CheckOptions, check_block};
//!
//! let body: syn::Block = syn::parse_quote!({
//!     use std::fs;
//!     let config = fs::read_to_string("app.toml").unwrap();
//!     tokio::time::sleep(std::time::Duration::from_millis(5)).await;
//! });
//! let findings = check_block(&body, &CheckOptions::default());
//! assert_eq!(findings.len(), 1);
//! assert!(findings[0].to_string().starts_with("`std::fs::read_to_string` blocks"));
//! ```

mod attrs;
pub mod catalogue;
mod check;
pub mod krate;
mod macro_args;
mod options;
mod scope;
mod surroundings;
mod types;
pub mod util;

#[cfg(test)]
mod tests;

pub use attrs::has_allow;
pub use check::Checker;
pub use options::CheckOptions;
pub use surroundings::{FileView, Surroundings};

/// Checks an async fn body or async block: the block is async context.
///
/// ```
/// use taskgroup_blocking::{CheckOptions, check_block};
///
/// let body: syn::Block = syn::parse_quote!({ std::thread::sleep(d); });
/// assert_eq!(check_block(&body, &CheckOptions::default()).len(), 1);
/// ```
pub fn check_block(block: &syn::Block, opts: &CheckOptions) -> Vec<syn::Error> {
    let mut checker = Checker::new(opts);
    checker.check_async_block(block);
    checker.into_findings()
}

/// Checks a fn's body as async code, whatever its signature says, with
/// typed parameters (`rx: std::sync::mpsc::Receiver<Job>`) as visible
/// receivers: for macros that turn an `async fn` into something else.
///
/// ```
/// use taskgroup_blocking::{CheckOptions, check_fn};
///
/// let f: syn::ItemFn = syn::parse_quote!(fn f(rx: std::sync::mpsc::Receiver<u8>) { rx.recv(); });
/// assert_eq!(check_fn(&f.sig, &f.block, &CheckOptions::default()).len(), 1);
/// ```
pub fn check_fn(sig: &syn::Signature, block: &syn::Block, opts: &CheckOptions) -> Vec<syn::Error> {
    let mut checker = Checker::new(opts);
    checker.check_body(sig, block, None);
    checker.into_findings()
}

/// Checks an expression evaluated as a future in async context (a `gather!`
/// argument): the expression itself counts as awaited, its insides do not.
///
/// ```
/// use taskgroup_blocking::{CheckOptions, check_expr};
///
/// let opts = CheckOptions::default();
/// assert!(check_expr(&syn::parse_quote!(fs::read(p)), &opts).is_empty());
/// assert_eq!(check_expr(&syn::parse_quote!(async { std::fs::read(p) }), &opts).len(), 1);
/// ```
pub fn check_expr(expr: &syn::Expr, opts: &CheckOptions) -> Vec<syn::Error> {
    let mut checker = Checker::new(opts);
    checker.check_future_expr(expr);
    checker.into_findings()
}
