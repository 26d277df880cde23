//! Integration tests for taskgroup live in `tests/`; this library only runs
//! the README's code blocks as doctests, so the README cannot rot.

#[doc = include_str!("../../README.md")]
mod readme {}
