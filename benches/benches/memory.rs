//! Bytes of RSS per pending child, 1,000,000 pending children.
//!
//! Each case runs in a fresh child process (this binary re-run with
//! `TG_MEM_CASE` set), so memory freed by one case cannot be reused by the
//! next. Inside it, on a 2-worker multi-thread runtime and from inside a
//! spawned task: read RSS (`/proc/self/statm`), spawn the children, wait until
//! every one has been polled once and parked, read RSS again.
//!
//! Prints one JSON object per case to stdout (`bash benches/run.sh` collects
//! them). `TG_MEM_N` overrides the number of children.

use std::future::pending;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::task::JoinSet;

/// `kind/size`: the tool, and the child future's size class (see [`parked`]).
/// Each size is measured for the group and for `JoinSet` with the same future.
const CASES: [&str; 9] = [
    "joinset/minimal",
    "taskgroup/minimal",
    "joinset/128",
    "taskgroup/128",
    "joinset/512",
    "taskgroup/512",
    "taskgroup_handles_kept/minimal",
    "vec_handles/minimal",
    "gather_all/minimal",
];

// A read of /proc, quick and on purpose: the measurement.
#[taskgroup::allow_blocking]
fn rss_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").expect("/proc/self/statm");
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|field| field.parse().ok())
        .expect("statm's resident field");
    pages * 4096
}

/// The child every case spawns: counts itself in, then parks forever,
/// holding `PAD` bytes across its await (0: the smallest useful child).
async fn parked<const PAD: usize>(started: Arc<AtomicUsize>, i: u64) -> Result<u64, ()> {
    let pad = [i as u8; PAD];
    started.fetch_add(1, Ordering::Release);
    pending::<()>().await;
    Ok(i + std::hint::black_box(&pad)
        .iter()
        .map(|&b| u64::from(b))
        .sum::<u64>())
}

/// The `PAD` of each size class: the future is then about 128 or 512 bytes.
const PAD_128: usize = 88;
const PAD_512: usize = 472;

async fn all_started(started: &AtomicUsize, n: usize) {
    while started.load(Ordering::Acquire) < n {
        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
    }
}

/// Runs one case in this process; returns the child future's size and the
/// RSS growth in bytes.
async fn measure(case: &str, n: usize) -> (usize, u64) {
    let (kind, size) = case.split_once('/').expect("kind/size");
    match size {
        "minimal" => measure_with::<0>(kind, n).await,
        "128" => measure_with::<PAD_128>(kind, n).await,
        "512" => measure_with::<PAD_512>(kind, n).await,
        other => panic!("unknown size {other}"),
    }
}

async fn measure_with<const PAD: usize>(kind: &str, n: usize) -> (usize, u64) {
    let future_size = std::mem::size_of_val(&parked::<PAD>(Arc::default(), 0));
    let started = Arc::new(AtomicUsize::new(0));
    let before = rss_bytes();
    let after = match kind {
        "joinset" => {
            let mut set = JoinSet::new();
            for i in 0..n as u64 {
                set.spawn(parked::<PAD>(Arc::clone(&started), i));
            }
            all_started(&started, n).await;
            let after = rss_bytes();
            set.shutdown().await;
            after
        }
        "vec_handles" => {
            let handles: Vec<_> = (0..n as u64)
                .map(|i| tokio::spawn(parked::<PAD>(Arc::clone(&started), i)))
                .collect();
            all_started(&started, n).await;
            let after = rss_bytes();
            handles.iter().for_each(|h| h.abort());
            after
        }
        "taskgroup" | "taskgroup_handles_kept" => {
            let keep = kind == "taskgroup_handles_kept";
            let started = &started;
            taskgroup::scope(|tg| async move {
                let mut handles = Vec::new();
                for i in 0..n as u64 {
                    let handle = tg.spawn(parked::<PAD>(Arc::clone(started), i))?;
                    if keep {
                        handles.push(handle);
                    }
                }
                all_started(started, n).await;
                let after = rss_bytes();
                tg.cancel();
                Ok(after)
            })
            .await
            .expect("cancel is no failure")
        }
        "gather_all" => {
            let started2 = Arc::clone(&started);
            let watcher = tokio::spawn(async move {
                all_started(&started2, n).await;
                rss_bytes()
            });
            let gather = taskgroup::gather_all(
                (0..n as u64).map(|i| parked::<PAD>(Arc::clone(&started), i)),
            );
            tokio::select! {
                _ = gather => unreachable!("the children never finish"),
                after = watcher => after.expect("the watcher ran"),
            }
        }
        other => panic!("unknown case {other}"),
    };
    (future_size, after.saturating_sub(before))
}

fn run_case(case: &str, n: usize) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let case = case.to_string();
    let (future_size, grown) = rt.block_on(async move {
        tokio::spawn(async move {
            // Warm the workers and the allocator's thread caches first.
            let mut set = JoinSet::new();
            for i in 0..1_000u64 {
                set.spawn(async move { i });
            }
            while set.join_next().await.is_some() {}
            measure(&case, n).await
        })
        .await
        .expect("the measuring task")
    });
    let case = std::env::var("TG_MEM_CASE").expect("set by the parent");
    println!(
        "{{\"case\": \"{case}\", \"n\": {n}, \"future_size\": {future_size}, \"rss_delta\": {grown}, \"bytes_per_child\": {:.1}}}",
        grown as f64 / n as f64
    );
}

fn main() {
    let n = std::env::var("TG_MEM_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    if let Ok(case) = std::env::var("TG_MEM_CASE") {
        run_case(&case, n);
        return;
    }
    // `cargo bench` passes `--bench`; a filter argument picks cases.
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let exe = std::env::current_exe().expect("this binary's path");
    for case in CASES {
        if !filter.is_empty() && !filter.iter().any(|f| case.contains(f.as_str())) {
            continue;
        }
        let status = Command::new(&exe)
            .env("TG_MEM_CASE", case)
            .env("TG_MEM_N", n.to_string())
            .status()
            .expect("re-run this binary for one case");
        assert!(status.success(), "memory case {case} failed");
    }
}
