//! Time per task: taskgroup next to the tool a user would otherwise write.
//!
//! Every figure is driven the same way (see [`drive`]): criterion's
//! `iter_custom`, the timed loop running *inside a task spawned* on a
//! multi-thread runtime with 2 workers, as a server's code runs. Driving from
//! `Runtime::block_on` instead would add cross-thread wake-ups to every
//! spawn-and-await figure (BASELINES.md).
//!
//! `bash benches/run.sh` runs this with the memory bench and the CPython
//! script and writes the ratio table to BENCHMARKS.md.

use std::future::{Future, pending};
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use taskgroup_benches::{
    handles_in_order, joinset_values, taskgroup_dropped, taskgroup_gather_all, taskgroup_values,
    three_gather, three_gather_local, three_spawned, three_try_join, tracker_spawn_wait,
};
use tokio::runtime::Runtime;
use tokio::sync::oneshot;
use tokio::task::JoinSet;

/// The sizes: 1,000 / 100,000 / 1,000,000 tasks.
const SIZES: [u64; 3] = [1_000, 100_000, 1_000_000];
/// Pending siblings in the fail-together case.
const PENDING: usize = 10_000;

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// Runs `iters` calls of `body` in a loop inside a spawned task and returns
/// the loop's wall time, measured inside that task.
fn drive<F, Fut>(rt: &Runtime, iters: u64, body: F) -> Duration
where
    F: Fn() -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send,
{
    rt.block_on(async move {
        tokio::spawn(async move {
            let start = Instant::now();
            for _ in 0..iters {
                body().await;
            }
            start.elapsed()
        })
        .await
        .expect("the benchmark task panicked")
    })
}

/// Like [`drive`], for bodies that time themselves (their setup is not timed).
fn drive_timed<F, Fut>(rt: &Runtime, iters: u64, body: F) -> Duration
where
    F: Fn() -> Fut + Send + 'static,
    Fut: Future<Output = Duration> + Send,
{
    rt.block_on(async move {
        tokio::spawn(async move {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                total += body().await;
            }
            total
        })
        .await
        .expect("the benchmark task panicked")
    })
}

// ---- the workloads are in src/lib.rs (shared with benches/instructions.rs) ----

/// Every workload at every size, one after the other for each size, so the
/// figures of a pair are taken minutes apart at most.
fn spawn_join(c: &mut Criterion) {
    let rt = runtime();
    let mut group = c.benchmark_group("spawn_join");
    group.sampling_mode(SamplingMode::Flat);
    for n in SIZES {
        group.throughput(Throughput::Elements(n));
        group.bench_with_input(BenchmarkId::new("vec_handles", n), &n, |b, &n| {
            b.iter_custom(|iters| drive(&rt, iters, move || handles_in_order(n)))
        });
        group.bench_with_input(BenchmarkId::new("taskgroup_values", n), &n, |b, &n| {
            b.iter_custom(|iters| drive(&rt, iters, move || taskgroup_values(n)))
        });
        group.bench_with_input(BenchmarkId::new("joinset", n), &n, |b, &n| {
            b.iter_custom(|iters| drive(&rt, iters, move || joinset_values(n)))
        });
        group.bench_with_input(BenchmarkId::new("gather_all", n), &n, |b, &n| {
            b.iter_custom(|iters| drive(&rt, iters, move || taskgroup_gather_all(n)))
        });
        group.bench_with_input(BenchmarkId::new("taskgroup_dropped", n), &n, |b, &n| {
            b.iter_custom(|iters| drive(&rt, iters, move || taskgroup_dropped(n)))
        });
        group.bench_with_input(BenchmarkId::new("tasktracker", n), &n, |b, &n| {
            b.iter_custom(|iters| drive(&rt, iters, move || tracker_spawn_wait(n)))
        });
    }
    group.finish();
}

// ---- three futures: `gather!` next to the hand-written equivalents ----

fn gather3(c: &mut Criterion) {
    let rt = runtime();
    let mut group = c.benchmark_group("gather3");
    group.bench_function("gather_macro", |b| {
        b.iter_custom(|iters| drive(&rt, iters, three_gather))
    });
    group.bench_function("spawn_three", |b| {
        b.iter_custom(|iters| drive(&rt, iters, three_spawned))
    });
    group.bench_function("gather_macro_local", |b| {
        b.iter_custom(|iters| drive(&rt, iters, three_gather_local))
    });
    group.bench_function("try_join", |b| {
        b.iter_custom(|iters| drive(&rt, iters, three_try_join))
    });
    group.finish();
}

/// Parks until the group or set cancels it; counts itself in once polled.
async fn pending_child(started: Arc<AtomicUsize>) -> Result<(), &'static str> {
    started.fetch_add(1, Ordering::Release);
    pending::<()>().await;
    Ok(())
}

async fn all_started(started: &AtomicUsize, n: usize) {
    while started.load(Ordering::Acquire) < n {
        tokio::task::yield_now().await;
    }
}

/// From the moment a child fails (timestamped by the child) to `scope`
/// returning, with `n` pending siblings, all polled and parked.
async fn taskgroup_fail_together(n: usize) -> Duration {
    let started = Arc::new(AtomicUsize::new(0));
    let failed_at = Arc::new(Mutex::new(None::<Instant>));
    let stamp = Arc::clone(&failed_at);
    let result = taskgroup::scope(|tg| async move {
        for _ in 0..n {
            tg.spawn(pending_child(Arc::clone(&started)))?;
        }
        let (go, fire) = oneshot::channel::<()>();
        tg.spawn(async move {
            let _ = fire.await;
            *stamp.lock().expect("not poisoned") = Some(Instant::now());
            Err::<(), _>("the first failure")
        })?;
        all_started(&started, n).await;
        let _ = go.send(());
        Ok(())
    })
    .await;
    let returned = Instant::now();
    assert_eq!(result.expect_err("a child failed").len(), 1);
    let failed_at = failed_at
        .lock()
        .expect("not poisoned")
        .expect("the child ran");
    returned - failed_at
}

/// `JoinSet::shutdown` of `n` pending tasks, all polled and parked.
async fn joinset_shutdown(n: usize) -> Duration {
    let started = Arc::new(AtomicUsize::new(0));
    let mut set = JoinSet::new();
    for _ in 0..n {
        set.spawn(pending_child(Arc::clone(&started)));
    }
    all_started(&started, n).await;
    let start = Instant::now();
    set.shutdown().await;
    start.elapsed()
}

fn fail_together(c: &mut Criterion) {
    let rt = runtime();
    let mut group = c.benchmark_group("fail_together");
    group.sampling_mode(SamplingMode::Flat);
    group.bench_function(BenchmarkId::new("taskgroup", PENDING), |b| {
        b.iter_custom(|iters| drive_timed(&rt, iters, || taskgroup_fail_together(PENDING)))
    });
    group.bench_function(BenchmarkId::new("joinset_shutdown", PENDING), |b| {
        b.iter_custom(|iters| drive_timed(&rt, iters, || joinset_shutdown(PENDING)))
    });
    group.finish();
}

// ---- what the slow-poll detector costs (issue 7) ----

async fn taskgroup_spawn_join_detector(n: u64, threshold: Option<Duration>) {
    taskgroup::Builder::new()
        .slow_poll(threshold)
        .scope(|tg| async move {
            for i in 0..n {
                tg.spawn(async move { Ok::<u64, ()>(i) })?;
            }
            Ok(())
        })
        .await
        .expect("no child fails");
}

/// TaskGroup spawn + join of 100,000 children with the detector at its
/// default threshold and turned off; no tracing subscriber is installed.
fn slow_poll(c: &mut Criterion) {
    let rt = runtime();
    let mut group = c.benchmark_group("slow_poll");
    group.sampling_mode(SamplingMode::Flat);
    let n = 100_000;
    group.throughput(Throughput::Elements(n));
    for (label, threshold) in [
        ("detector_on", Some(Duration::from_millis(100))),
        ("detector_off", None),
    ] {
        group.bench_with_input(BenchmarkId::new(label, n), &n, |b, &n| {
            b.iter_custom(|iters| {
                drive(&rt, iters, move || {
                    taskgroup_spawn_join_detector(n, threshold)
                })
            })
        });
    }
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .without_plots()
}

criterion_group! {
    name = benches;
    config = config();
    targets = spawn_join, gather3, fail_together, slow_poll
}
criterion_main!(benches);
