//! Benchmarks only: see `benches/` and `BENCHMARKS.md` at the repository root.
