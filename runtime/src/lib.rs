//! taskgroup
