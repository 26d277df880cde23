#!/usr/bin/env bash
# Regenerates every benchmark figure of issues 5 and 14 and BENCHMARKS.md's generated
# block, in one run (about 10-15 minutes on 2 cores, build included):
#   1. the criterion benches (benches/benches/tasks.rs),
#   2. RSS per pending child (benches/benches/memory.rs),
#   3. CPython asyncio on the same workloads (benches/asyncio_bench.py),
#   4. the ratio table (benches/report.py), printed and written to BENCHMARKS.md.
# Extra arguments go to criterion as a filter, e.g. `bash benches/run.sh spawn_join`.
# Not part of CI: CI only compiles the benches (clippy --all-targets).
set -euo pipefail
cd "$(dirname "$0")/.."

target_dir=$(cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
out="$target_dir/taskgroup-bench"
mkdir -p "$out"
# Stale results of an earlier run must not end up in this run's table.
rm -rf "$target_dir/criterion"/{spawn_join,gather,gather3,fail_together,slow_poll}

echo "== criterion benches (time)" >&2
cargo bench -p taskgroup-benches --bench tasks -- "$@"

echo "== memory per pending child" >&2
cargo bench -p taskgroup-benches --bench memory | grep '^{' | tee "$out/memory.jsonl"

echo "== CPython asyncio" >&2
python3 benches/asyncio_bench.py --json "$out/asyncio.json"

echo "== ratio table" >&2
python3 benches/report.py --criterion "$target_dir/criterion" \
    --memory "$out/memory.jsonl" --asyncio "$out/asyncio.json" --write BENCHMARKS.md
