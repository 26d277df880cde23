//! Integration tests for taskgroup live in `tests/`.
