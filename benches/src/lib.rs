//! The workloads of the benchmarks, shared by the criterion bench
//! (`benches/tasks.rs`) and the instruction-count driver
//! (`benches/instructions.rs`), so both measure the very same code. Trivial
//! children, `async move { Ok::<u64, ()>(i) }`; each pair in BENCHMARKS.md
//! compares the same work: every value read (group with handles awaited,
//! JoinSet, `Vec<JoinHandle>`, gather_all), or every value dropped and only
//! the end waited for (group with handles dropped, TaskTracker).
//!
//! See `BENCHMARKS.md` at the repository root.

use std::hint::black_box;

use tokio::task::JoinSet;
use tokio_util::task::TaskTracker;

/// The group, every value read through its handle, in spawn order.
pub async fn taskgroup_values(n: u64) {
    let sum = taskgroup::scope(|tg| async move {
        let handles = (0..n)
            .map(|i| tg.spawn(async move { Ok::<u64, ()>(i) }))
            .collect::<Result<Vec<_>, _>>()?;
        let mut sum = 0;
        for handle in handles {
            sum += handle.await?;
        }
        Ok(sum)
    })
    .await
    .expect("no child fails");
    assert_eq!(sum, n * (n - 1) / 2);
}

/// The group, handles dropped: only the end of every child is waited for.
pub async fn taskgroup_dropped(n: u64) {
    taskgroup::scope(|tg| async move {
        for i in 0..n {
            tg.spawn(async move { Ok::<u64, ()>(i) })?;
        }
        Ok(())
    })
    .await
    .expect("no child fails");
}

/// `JoinSet`, `join_next` collecting every value.
pub async fn joinset_values(n: u64) {
    let mut set = JoinSet::new();
    for i in 0..n {
        set.spawn(async move { Ok::<u64, ()>(i) });
    }
    let mut sum = 0;
    while let Some(res) = set.join_next().await {
        sum += res.expect("no panic").expect("no error");
    }
    assert_eq!(sum, n * (n - 1) / 2);
}

/// `TaskTracker`: spawn, close, wait; values dropped.
pub async fn tracker_spawn_wait(n: u64) {
    let tracker = TaskTracker::new();
    for i in 0..n {
        tracker.spawn(async move { Ok::<u64, ()>(i) });
    }
    tracker.close();
    tracker.wait().await;
}

/// `Vec<JoinHandle>`, awaited in spawn order: every value read.
pub async fn handles_in_order(n: u64) {
    let handles: Vec<_> = (0..n)
        .map(|i| tokio::spawn(async move { Ok::<u64, ()>(i) }))
        .collect();
    let mut sum = 0;
    for handle in handles {
        sum += handle.await.expect("no panic").expect("no error");
    }
    assert_eq!(sum, n * (n - 1) / 2);
}

/// `gather_all`: every value, in input order.
pub async fn taskgroup_gather_all(n: u64) {
    let values = taskgroup::gather_all((0..n).map(|i| async move { Ok::<u64, ()>(i) }))
        .await
        .expect("no child fails");
    assert_eq!(values.len() as u64, n);
    black_box(values);
}

/// `gather!` of three ready futures, each spawned.
pub async fn three_gather() {
    let (a, b, c) = taskgroup::gather!(
        async { Ok::<u64, ()>(1) },
        async { Ok::<u64, ()>(2) },
        async { Ok::<u64, ()>(3) }
    )
    .await
    .expect("no child fails");
    black_box(a + b + c);
}

/// Three `tokio::spawn`s, each awaited.
pub async fn three_spawned() {
    let a = tokio::spawn(async { Ok::<u64, ()>(1) });
    let b = tokio::spawn(async { Ok::<u64, ()>(2) });
    let c = tokio::spawn(async { Ok::<u64, ()>(3) });
    let a = a.await.expect("no panic").expect("no error");
    let b = b.await.expect("no panic").expect("no error");
    let c = c.await.expect("no panic").expect("no error");
    black_box(a + b + c);
}

/// `gather!(local; ..)` of three ready futures.
pub async fn three_gather_local() {
    let (a, b, c) = taskgroup::gather!(local;
        async { Ok::<u64, ()>(1) },
        async { Ok::<u64, ()>(2) },
        async { Ok::<u64, ()>(3) }
    )
    .await
    .expect("no child fails");
    black_box(a + b + c);
}

/// `tokio::try_join!` of three ready futures.
pub async fn three_try_join() {
    let (a, b, c) = tokio::try_join!(
        async { Ok::<u64, ()>(1) },
        async { Ok::<u64, ()>(2) },
        async { Ok::<u64, ()>(3) }
    )
    .expect("no child fails");
    black_box(a + b + c);
}
