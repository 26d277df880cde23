#!/usr/bin/env bash
# What taskgroup adds to a user's cold `cargo build` (issue 14): a scratch
# binary depending on tokio alone against the same binary that also depends on
# taskgroup, at two commits (each checked out in a worktree of its own, so
# edits in progress do not count). Each build starts from
# an empty target directory; downloads are cached in the shared CARGO_HOME
# (fetched before timing), so the figures are compile time only.
#
#   bash benches/compile_time.sh [BEFORE_COMMIT] [AFTER_COMMIT] [RUNS]
#
# Prints one line per build (wall and CPU seconds) and the median of each.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
before=${1:-0616fb6}
after=${2:-HEAD}
runs=${3:-3}
work=${COMPILE_TIME_DIR:-/tmp/ctime}
unset CARGO_TARGET_DIR CARGO_BUILD_TARGET_DIR
export CARGO_TERM_COLOR=never

mkdir -p "$work"
for side in before after; do
    commit=${!side}
    if [ -d "$work/$side" ]; then
        git -C "$work/$side" checkout --quiet --detach "$commit"
    else
        git -C "$repo" worktree add --detach "$work/$side" "$commit" >/dev/null
    fi
    echo "$side: $(git -C "$work/$side" log --oneline -1)"
done

# scratch_crate NAME [TASKGROUP_PATH]: tokio with what a binary using
# taskgroup needs (a multi-thread runtime, #[tokio::main]), and taskgroup
# when a path is given.
scratch_crate() {
    local dir=$work/$1 taskgroup=${2:-}
    mkdir -p "$dir/src"
    {
        printf '[package]\nname = "%s"\nversion = "0.1.0"\nedition = "2024"\npublish = false\n\n' "$1"
        printf '[workspace]\n\n[dependencies]\n'
        printf 'tokio = { version = "1.47", features = ["rt-multi-thread", "macros"] }\n'
        if [ -n "$taskgroup" ]; then
            printf 'taskgroup = { path = "%s" }\n' "$taskgroup"
        fi
    } >"$dir/Cargo.toml"
    if [ -n "$taskgroup" ]; then
        cat >"$dir/src/main.rs" <<'EOF'
#[tokio::main]
async fn main() {
    let (a, b) = taskgroup::gather!(async { Ok::<_, ()>(1) }, async { Ok::<_, ()>(2) })
        .await
        .unwrap();
    println!("{}", a + b);
}
EOF
    else
        cat >"$dir/src/main.rs" <<'EOF'
#[tokio::main]
async fn main() {
    let (a, b) = tokio::join!(async { 1 }, async { 2 });
    println!("{}", a + b);
}
EOF
    fi
    (cd "$dir" && cargo generate-lockfile --quiet && cargo fetch --quiet)
}

scratch_crate base
scratch_crate user-before "$work/before/runtime"
scratch_crate user-after "$work/after/runtime"

# Same tokio everywhere, or the comparison is void.
for c in base user-before user-after; do
    printf '%-12s %s\n' "$c" "$(cd "$work/$c" && cargo tree --quiet --depth 1 -i tokio 2>/dev/null | head -1)"
done
printf '%-12s syn majors: %s\n' user-before "$(cd "$work/user-before" && cargo tree --quiet -e normal,build --prefix none | sed -n 's/^\(syn v[0-9]*\)\..*/\1/p' | sort -u | tr '\n' ' ')"
printf '%-12s syn majors: %s\n' user-after "$(cd "$work/user-after" && cargo tree --quiet -e normal,build --prefix none | sed -n 's/^\(syn v[0-9]*\)\..*/\1/p' | sort -u | tr '\n' ' ')"

median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

for c in base user-before user-after; do
    : >"$work/$c.times"
done
# Rounds of one build each, so that load from elsewhere on the machine
# falls on the three alike.
for _ in $(seq "$runs"); do
    for c in base user-before user-after; do
        rm -rf "$work/$c/target"
        # %e wall, %U + %S CPU (user + system), all children included.
        (cd "$work/$c" && /usr/bin/time -f '%e %U %S' -o "$work/$c.time" cargo build --quiet --offline)
        read -r wall user sys <"$work/$c.time"
        cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.2f", u + s}')
        echo "$wall $cpu" >>"$work/$c.times"
        printf '%-12s wall %6.2f s  cpu %6.2f s\n' "$c" "$wall" "$cpu"
    done
done

echo
printf '%-12s %10s %10s\n' crate 'wall (s)' 'cpu (s)'
for c in base user-before user-after; do
    printf '%-12s %10s %10s\n' "$c" \
        "$(cut -d' ' -f1 "$work/$c.times" | median)" \
        "$(cut -d' ' -f2 "$work/$c.times" | median)"
done
