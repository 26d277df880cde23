#!/usr/bin/env bash
# The task tree's cost on the spawn benchmark (issue 17): the same criterion
# cases built without and with `taskgroup/tree`, run alternately (off, on,
# off, on, off, on) so drift hits both, each round saved as its own baseline. Prints
# per-element medians of each round and the on/off ratio of each case, raw and divided by
# the same round's `Vec<JoinHandle>` case (which the feature does not touch),
# so a slower or faster moment of the machine cancels out. About 9 minutes.
# Not part of CI.
set -euo pipefail
cd "$(dirname "$0")/.."

filter='^spawn_join/(vec_handles|taskgroup_values|taskgroup_dropped|gather_all)/(1000|100000)$'
target_dir=$(cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')

# Both builds first, so no round waits for a compile.
cargo bench -p taskgroup-benches --bench tasks --no-run
cargo bench -p taskgroup-benches --bench tasks --features tree --no-run
for round in 1 2 3; do
    cargo bench -p taskgroup-benches --bench tasks -- "$filter" --save-baseline "tree_off_$round"
    cargo bench -p taskgroup-benches --bench tasks --features tree -- "$filter" --save-baseline "tree_on_$round"
done

python3 - "$target_dir/criterion/spawn_join" <<'PY'
import json, os, statistics, sys
root = sys.argv[1]
def median(case, n, baseline):
    with open(os.path.join(root, case, str(n), baseline, "estimates.json")) as f:
        return json.load(f)["median"]["point_estimate"] / n
print(f"{'case':<18} {'n':>6}  {'off, each round':<22} {'on, each round':<22} {'on/off':>6} {'÷ Vec<JoinHandle>':>17}")
for n in (1000, 100000):
    for case in ("taskgroup_values", "taskgroup_dropped", "gather_all"):
        raw, rel, offs, ons = [], [], [], []
        for r in (1, 2, 3):
            off, on = median(case, n, f"tree_off_{r}"), median(case, n, f"tree_on_{r}")
            ref_off, ref_on = median("vec_handles", n, f"tree_off_{r}"), median("vec_handles", n, f"tree_on_{r}")
            offs.append(off); ons.append(on)
            raw.append(on / off)
            rel.append((on / ref_on) / (off / ref_off))
        fmt = lambda xs: " ".join(f"{x:.0f}" for x in xs)
        print(f"{case:<18} {n:>6}  {fmt(offs):<22} {fmt(ons):<22} {statistics.median(raw):>6.3f} {statistics.median(rel):>17.3f}")
print("ns per element (criterion medians); ratios: median over the rounds")
PY
