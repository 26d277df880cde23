#!/usr/bin/env bash
# Exact instruction counts per child (or per call, for the three-future
# cases) with valgrind's callgrind: each case of benches/benches/instructions.rs
# at N = 0 and N = 20,000 on a current-thread runtime, (Ir(N) - Ir(0)) / N.
# With `--tree`, the same with the task tree on (issue 17's cost). About
# 2 minutes. Not part of CI. Needs valgrind (apt-get install valgrind).
set -euo pipefail
cd "$(dirname "$0")/.."
features=()
if [[ "${1:-}" == "--tree" ]]; then features=(--features tree); fi
bin=$(cargo bench -p taskgroup-benches --bench instructions "${features[@]}" --no-run --message-format=json 2>/dev/null |
    python3 -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "instructions" and m.get("executable"):
        print(m["executable"])')
n=20000
ir() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$1" "$2" 2>&1 | sed -n 's/.*Collected : //p' | tr -d ,; }
for case in values vec dropped tracker gather_all gather3 spawn3 local3 try_join3; do
    zero=$(ir "$case" 0)
    full=$(ir "$case" "$n")
    echo "$case $(( (full - zero) / n ))"
done
