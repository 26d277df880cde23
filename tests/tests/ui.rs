//! Compile-time behaviour of the macros, checked with trybuild: every misuse
//! is one error at the offending tokens saying what to write instead
//! (`tests/ui/*.rs` with their `.stderr`), and the pass cases compile and run.
//!
//! Refresh the snapshots with `TRYBUILD=overwrite cargo test -p taskgroup-tests --test ui`,
//! then read every changed `.stderr`.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/gather_*.rs");
    t.compile_fail("ui/race_*.rs");
    t.compile_fail("ui/task_group_*.rs");
    t.pass("ui/pass/*.rs");
}
