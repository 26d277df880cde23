//! Times the whole-crate check on each given target root file:
//! `cargo run --release -p cargo-taskgroup --example time_targets -- src/lib.rs ..`.
//! Prints lines read, findings and milliseconds per target, then the totals.

use std::path::Path;
use std::time::Instant;

use taskgroup_blocking::CheckOptions;
use taskgroup_blocking::krate::{CrateSource, check_crate};

fn main() {
    let (mut lines, mut found, mut millis) = (0, 0, 0.0);
    for root in std::env::args().skip(1) {
        let start = Instant::now();
        let source = match CrateSource::load(Path::new(&root)) {
            Ok(source) => source,
            Err(e) => {
                eprintln!("{e}");
                continue;
            }
        };
        let loaded = start.elapsed().as_secs_f64() * 1000.0;
        let findings = check_crate(&source, &CheckOptions::default());
        let total = start.elapsed().as_secs_f64() * 1000.0;
        let count: usize = source.files().iter().map(|f| f.text.lines().count()).sum();
        println!(
            "{root}: {count} lines, {} findings, {loaded:.1} ms to read and parse, {total:.1} ms in all",
            findings.len()
        );
        (lines, found, millis) = (lines + count, found + findings.len(), millis + total);
    }
    println!("total: {lines} lines, {found} findings, {millis:.1} ms");
}
