//! Unit tests of the matching rules.
