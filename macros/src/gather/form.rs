//! What sets `gather!` and the macros written like it (`race!`) apart: the
//! options each takes and the examples its messages show.

use crate::options::{Accepts, GATHER};

/// A macro written like `gather!` (`race!` too): its options, and the
/// examples its messages show.
#[derive(Debug)]
pub(crate) struct Form {
    pub(crate) accepts: Accepts,
    /// Arguments, as in `gather!(fetch(a), fetch(b))`.
    pub(crate) futures: &'static str,
    /// The flags it takes, the first shown in examples.
    pub(crate) flags: &'static [&'static str],
}

pub(crate) const GATHER_FORM: Form = Form {
    accepts: GATHER,
    futures: "fetch(a), fetch(b)",
    flags: &["settled", "local"],
};
