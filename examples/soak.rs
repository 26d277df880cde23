//! Soak: a million tasks through repeated task groups, then check that
//! nothing leaked (issue 6).
//!
//! Rounds of 100 children cycle through every way a group ends: all
//! succeed; one fails and the rest are cancelled (fail-fast); the scope's
//! future is dropped from outside; `cancel()`; nested groups where one
//! fails (fail-fast) or all are collected (supervisor); `gather_all` and
//! `gather_settled`. Every child future carries a guard that counts it
//! alive; the resident set size is read from `/proc/self/statm`.
//!
//! After a warm-up of a fifth of the run (so the allocator's pools and the
//! runtime's queues are part of the baseline), the run checks at the end:
//! - the count of live child futures is zero;
//! - the resident set size is within 10% of the baseline;
//! - every round ended the way its kind must (its result and failures).
//!
//! It prints the figures and exits non-zero on a violation.
//!
//! ```text
//! cargo run --release -p taskgroup-examples --example soak              # 1,000,000 tasks
//! SOAK_TASKS=200000 cargo run -p taskgroup-examples --example soak      # any count
//! ```
//! A debug build runs 200,000 tasks by default (CI runs every example in
//! debug mode with a time limit); a release build 1,000,000.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering::SeqCst};
use std::time::{Duration, Instant};

use taskgroup::{Builder, ErrorGroup, TaskError};
use tokio::sync::Notify;

/// Children per group.
const GROUP: usize = 100;

/// Child futures alive now and created so far, over the whole run.
static LIVE: AtomicUsize = AtomicUsize::new(0);
static CREATED: AtomicU64 = AtomicU64::new(0);
/// Woken whenever a guard is dropped, to wait for aborted children.
static DROPPED: Notify = Notify::const_new();

struct Alive;

impl Alive {
    fn new() -> Alive {
        LIVE.fetch_add(1, SeqCst);
        CREATED.fetch_add(1, SeqCst);
        Alive
    }
}

impl Drop for Alive {
    fn drop(&mut self) {
        if LIVE.fetch_sub(1, SeqCst) == 1 {
            DROPPED.notify_waiters();
        }
    }
}

#[derive(Debug)]
struct Failed(usize);

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "child {} failed", self.0)
    }
}

/// Resident set size in bytes (Linux), from `/proc/self/statm`: a quick
/// read, allowed where async code calls it.
#[taskgroup::allow_blocking]
fn rss_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").expect("/proc/self/statm (Linux)");
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .expect("resident pages in /proc/self/statm");
    pages * 4096
}

/// Waits until every child future has been dropped (aborted tasks are
/// dropped by the runtime shortly after their scope is).
async fn until_no_live_child() {
    loop {
        let dropped = DROPPED.notified();
        let mut dropped = std::pin::pin!(dropped);
        dropped.as_mut().enable();
        if LIVE.load(SeqCst) == 0 {
            return;
        }
        dropped.await;
    }
}

/// A child that never completes by itself.
async fn stuck() -> Result<usize, Failed> {
    let _alive = Alive::new();
    std::future::pending().await
}

/// A child that yields once, then gives its index back.
async fn quick(i: usize) -> Result<usize, Failed> {
    let _alive = Alive::new();
    tokio::task::yield_now().await;
    Ok(i)
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Succeed,
    FailFast,
    OutsideDrop,
    Cancel,
    NestedFailFast,
    NestedSupervisor,
    GatherAll,
    GatherSettled,
}

const KINDS: [Kind; 8] = [
    Kind::Succeed,
    Kind::FailFast,
    Kind::OutsideDrop,
    Kind::Cancel,
    Kind::NestedFailFast,
    Kind::NestedSupervisor,
    Kind::GatherAll,
    Kind::GatherSettled,
];

/// One group of `GROUP` children ending the way `kind` says; an error
/// message when it ended otherwise.
async fn round(kind: Kind) -> Result<(), String> {
    match kind {
        Kind::Succeed => {
            let sum = taskgroup::scope(|tg| async move {
                let handles = (0..GROUP)
                    .map(|i| tg.spawn(quick(i)))
                    .collect::<Result<Vec<_>, _>>()?;
                let mut sum = 0;
                for h in handles {
                    sum += h.await?;
                }
                Ok::<_, ErrorGroup<Failed>>(sum)
            })
            .await
            .map_err(|e| format!("unexpected failure: {e}"))?;
            check(sum == GROUP * (GROUP - 1) / 2, "wrong sum")
        }
        Kind::FailFast => {
            let err = taskgroup::scope(|tg| async move {
                for _ in 1..GROUP {
                    tg.spawn(stuck())?;
                }
                tg.spawn(async {
                    let _alive = Alive::new();
                    tokio::task::yield_now().await;
                    Err::<usize, _>(Failed(GROUP - 1))
                })?;
                Ok(())
            })
            .await
            .err()
            .ok_or("a failing group succeeded")?;
            check(
                err.len() == 1 && *err.first().name() == *format!("task-{}", GROUP - 1),
                "fail-fast reported the wrong failures",
            )
        }
        Kind::OutsideDrop => {
            let started = Arc::new(AtomicUsize::new(0));
            let all_started = Arc::new(Notify::new());
            let (s, n) = (Arc::clone(&started), Arc::clone(&all_started));
            let scope = taskgroup::scope(|tg| async move {
                for _ in 0..GROUP {
                    let (s, n) = (Arc::clone(&s), Arc::clone(&n));
                    tg.spawn(async move {
                        let _alive = Alive::new();
                        if s.fetch_add(1, SeqCst) + 1 == GROUP {
                            n.notify_one();
                        }
                        std::future::pending::<Result<(), Failed>>().await
                    })?;
                }
                std::future::pending::<()>().await;
                Ok::<_, ErrorGroup<Failed>>(())
            });
            // Dropped from outside once every child runs.
            tokio::select! {
                _ = scope => return Err("a stuck scope ended".into()),
                () = all_started.notified() => {}
            }
            until_no_live_child().await;
            Ok(())
        }
        Kind::Cancel => {
            let value = taskgroup::scope(|tg| async move {
                for _ in 0..GROUP {
                    tg.spawn(stuck())?;
                }
                tokio::task::yield_now().await;
                tg.cancel();
                Ok::<_, ErrorGroup<Failed>>("cancelled")
            })
            .await
            .map_err(|e| format!("cancel() reported failures: {e}"))?;
            check(value == "cancelled", "wrong value")
        }
        Kind::NestedFailFast | Kind::NestedSupervisor => {
            let supervisor = matches!(kind, Kind::NestedSupervisor);
            let mut outer = Builder::new();
            if supervisor {
                outer = outer.supervisor();
            }
            let err = outer
                .scope(|tg| async move {
                    for g in 0..10 {
                        tg.spawn_nested(async move {
                            let mut builder = Builder::new();
                            if supervisor {
                                builder = builder.supervisor();
                            }
                            builder
                                .scope(|inner| async move {
                                    for i in 0..GROUP / 10 - 1 {
                                        if supervisor {
                                            inner.spawn(quick(i))?;
                                        } else {
                                            inner.spawn(stuck())?;
                                        }
                                    }
                                    inner.spawn_named("leaf", async move {
                                        let _alive = Alive::new();
                                        tokio::task::yield_now().await;
                                        if g % 2 == 0 { Err(Failed(g)) } else { Ok(g) }
                                    })?;
                                    Ok(())
                                })
                                .await
                        })?;
                    }
                    Ok(())
                })
                .await
                .err()
                .ok_or("a failing tree succeeded")?;
            // Supervisors collect the five failures; fail-fast groups report
            // the first (and any that raced it on another worker).
            let right_count = if supervisor {
                err.len() == 5
            } else {
                (1..=5).contains(&err.len())
            };
            check(
                right_count && err.iter().all(|f| f.name().to_string().ends_with("/leaf")),
                "nested groups reported the wrong failures",
            )
        }
        Kind::GatherAll => {
            let values = taskgroup::gather_all((0..GROUP).map(quick))
                .await
                .map_err(|e| format!("gather_all failed: {e}"))?;
            check(
                values.iter().copied().eq(0..GROUP),
                "gather_all out of order",
            )
        }
        Kind::GatherSettled => {
            let results = taskgroup::gather_settled((0..GROUP).map(|i| async move {
                let _alive = Alive::new();
                tokio::task::yield_now().await;
                if i % 3 == 0 { Err(Failed(i)) } else { Ok(i) }
            }))
            .await;
            let right = results.iter().enumerate().all(|(i, r)| match r {
                Ok(v) => *v == i && i % 3 != 0,
                Err(TaskError::Failed(Failed(j))) => *j == i && i % 3 == 0,
                Err(_) => false,
            });
            check(right, "gather_settled gave wrong outcomes")
        }
    }
}

fn check(ok: bool, what: &str) -> Result<(), String> {
    if ok { Ok(()) } else { Err(what.to_string()) }
}

/// The RSS once no child is alive (the previous round's aborted children
/// may still be on their way out).
async fn quiet_rss() -> u64 {
    until_no_live_child().await;
    rss_bytes()
}

fn high_water(samples: &[u64]) -> u64 {
    samples.iter().copied().max().unwrap_or(0)
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

#[tokio::main]
async fn main() {
    let target: u64 = std::env::var("SOAK_TASKS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if cfg!(debug_assertions) {
            200_000
        } else {
            1_000_000
        });
    let started = Instant::now();
    let mut violations = Vec::new();

    // Warm-up: a fifth of the run (at least two rounds of every kind), so
    // the allocator's per-thread pools and the runtime's queues have reached
    // their working size before the baseline is taken.
    //
    // The RSS of a quiet process (no child alive) still moves between two
    // readings by up to a round's working set: glibc returns the top of a
    // heap to the system or keeps it. (With groups of 1,000 that was ~1 MiB,
    // 15% of this process, hence groups of 100.) So both figures are the
    // high-water mark of the quiet readings taken after every round over a
    // window of the same number of tasks (a tenth of the run): the warm-up's
    // second tenth for the baseline, the run's last tenth for the end. A leak
    // of one byte per task would raise the end figure by ~1 MiB (+20%).
    let mut warm_rounds = 0;
    let mut warm_samples = Vec::new();
    while warm_rounds < 2 * KINDS.len() || CREATED.load(SeqCst) < target / 5 {
        let kind = KINDS[warm_rounds % KINDS.len()];
        if let Err(e) = round(kind).await {
            violations.push(format!("warm-up {kind:?}: {e}"));
        }
        warm_rounds += 1;
        if CREATED.load(SeqCst) >= target / 10 {
            warm_samples.push(quiet_rss().await);
        }
    }
    let baseline = high_water(&warm_samples);
    let warm_up = CREATED.load(SeqCst);

    let mut rounds = 0u64;
    let mut samples = Vec::new();
    let mut peak = baseline;
    while CREATED.load(SeqCst) - warm_up < target {
        let kind = KINDS[rounds as usize % KINDS.len()];
        if let Err(e) = round(kind).await {
            violations.push(format!("round {rounds} ({kind:?}): {e}"));
        }
        rounds += 1;
        let rss = quiet_rss().await;
        peak = peak.max(rss);
        if CREATED.load(SeqCst) - warm_up >= target / 10 * 9 {
            samples.push(rss);
        }
    }
    // Aborted children are dropped by the runtime after their scope; a
    // failure detector bounds the wait (a leak would never end it).
    if tokio::time::timeout(Duration::from_secs(30), until_no_live_child())
        .await
        .is_err()
    {
        violations.push(format!("{} child futures still alive", LIVE.load(SeqCst)));
    }
    let last = rss_bytes();
    samples.push(last);
    let end = high_water(&samples);
    let tasks = CREATED.load(SeqCst) - warm_up;
    let growth = (end as f64 - baseline as f64) / baseline as f64 * 100.0;
    let live = LIVE.load(SeqCst);

    println!(
        "soak: {tasks} tasks in {rounds} groups ({} build) in {:.1?}",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        },
        started.elapsed()
    );
    println!(
        "  RSS baseline {:.2} MiB, end {:.2} MiB ({growth:+.1}%); last reading {:.2} MiB, peak {:.2} MiB",
        mib(baseline),
        mib(end),
        mib(last),
        mib(peak)
    );
    println!("  live tasks at the end: {live}");
    if live != 0 {
        violations.push(format!("{live} child futures alive at the end"));
    }
    if end as f64 > baseline as f64 * 1.10 {
        violations.push(format!("RSS grew {growth:.1}% (limit 10%)"));
    }
    if !violations.is_empty() {
        for v in &violations {
            eprintln!("soak violation: {v}");
        }
        std::process::exit(1);
    }
    println!("  ok: no leaked task, RSS within 10% of its baseline");
}
