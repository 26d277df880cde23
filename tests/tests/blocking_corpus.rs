//! The blocking-call check through the compiler. Must-reject cases fail with
//! their `.stderr` snapshot (only the check's error, at the call), misuse of
//! the attribute fails with guidance, and must-accept cases compile and run.
//!
//! Recall and false-positive rate over the same corpus are printed by the
//! `corpus_recall_and_false_positive_rate` unit test in `taskgroup-macros`.

#[test]
fn blocking_corpus() {
    let t = trybuild::TestCases::new();
    t.compile_fail("blocking/reject/*.rs");
    t.compile_fail("blocking/misuse/*.rs");
    t.pass("blocking/accept/*.rs");
}
