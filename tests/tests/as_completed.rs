//! `as_completed`: results in completion order with their input index; a
//! failure cancels nothing; dropping the stream aborts the rest; the
//! builder's options either act on the stream or are refused.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures::StreamExt as _;
use taskgroup::{Builder, TaskError};

mod common;
use common::global_warnings;

/// Reports its drop on a channel: proof that a cancelled child's future was dropped.
struct DropGuard(tokio::sync::mpsc::UnboundedSender<usize>, usize);
impl Drop for DropGuard {
    fn drop(&mut self) {
        let _ = self.0.send(self.1);
    }
}

#[tokio::test(start_paused = true)]
async fn as_completed_yields_in_completion_order_with_input_indices() {
    let delays = [30u64, 10, 20, 40];
    let stream = taskgroup::as_completed(delays.map(|ms| async move {
        tokio::time::sleep(Duration::from_millis(ms)).await;
        if ms == 20 { Err("twenty") } else { Ok(ms) }
    }));
    let seen: Vec<_> = stream
        .map(|(index, result)| (index, result.map_err(|e| e.as_failed().copied())))
        .collect()
        .await;
    assert_eq!(
        seen,
        [
            (1, Ok(10)),
            (2, Err(Some("twenty"))),
            (0, Ok(30)),
            (3, Ok(40))
        ]
    );
}

#[tokio::test]
async fn as_completed_captures_panics_without_cancelling_others() {
    let results: Vec<_> = taskgroup::as_completed((0..3).map(|i| async move {
        if i == 1 {
            panic!("bug in {i}");
        }
        Ok::<_, ()>(i)
    }))
    .collect()
    .await;
    let mut oks: Vec<_> = results
        .iter()
        .filter_map(|(_, r)| r.as_ref().ok())
        .collect();
    oks.sort();
    assert_eq!(oks, [&0, &2]);
    assert!(
        results
            .iter()
            .any(|(i, r)| *i == 1 && matches!(r, Err(TaskError::Panicked(m)) if m == "bug in 1"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_as_completed_cancels_the_rest() {
    let (dropped_tx, mut dropped_rx) = tokio::sync::mpsc::unbounded_channel();
    let finished = Arc::new(AtomicUsize::new(0));
    let mut stream = taskgroup::as_completed((0..4).map(|i| {
        let guard = DropGuard(dropped_tx.clone(), i);
        let finished = finished.clone();
        async move {
            let _guard = guard;
            if i > 0 {
                std::future::pending::<()>().await;
                finished.fetch_add(1, Ordering::SeqCst);
            }
            Ok::<_, ()>(i)
        }
    }));
    drop(dropped_tx);
    assert_eq!(stream.next().await.map(|(i, _)| i), Some(0));
    drop(stream);
    let mut dropped = Vec::new();
    while let Some(i) = dropped_rx.recv().await {
        dropped.push(i);
    }
    dropped.sort();
    assert_eq!(dropped, [0, 1, 2, 3]);
    assert_eq!(finished.load(Ordering::SeqCst), 0);
}

#[test]
#[should_panic(expected = "`timeout` and `grace_period` do not apply to a stream")]
fn as_completed_refuses_a_timeout() {
    let _ = Builder::new()
        .timeout(Duration::from_secs(1))
        .as_completed([async { Ok::<_, ()>(()) }]);
}

#[test]
#[should_panic(expected = "`timeout` and `grace_period` do not apply to a stream")]
fn as_completed_refuses_a_grace_period() {
    let _ = Builder::new()
        .grace_period(Duration::from_secs(1))
        .as_completed([async { Ok::<_, ()>(()) }]);
}

#[test]
#[should_panic(expected = "`name` does not apply, a stream is not a node of the task tree")]
fn as_completed_refuses_a_name() {
    let _ = Builder::new()
        .name("feed")
        .as_completed([async { Ok::<_, ()>(()) }]);
}

/// `supervisor` is what a stream already does: a failure cancels nothing.
#[tokio::test]
async fn as_completed_in_supervisor_mode_runs_every_future() {
    let mut results: Vec<_> = Builder::new()
        .supervisor()
        .as_completed((0..3).map(|i| async move { if i == 0 { Err(i) } else { Ok(i) } }))
        .collect()
        .await;
    results.sort_by_key(|(index, _)| *index);
    let outcomes: Vec<_> = results
        .into_iter()
        .map(|(index, result)| (index, result.map_err(|e| e.as_failed().copied())))
        .collect();
    assert_eq!(outcomes, [(0, Err(Some(0))), (1, Ok(1)), (2, Ok(2))]);
}

/// The slow-poll detector watches a stream's futures, named by position.
/// It reads the process-wide subscriber: a thread-local one missed the
/// warning now and then while other tests of this binary ran in parallel.
/// The threshold is one no other test uses (debug builds watch every group
/// at 100 ms), so the warning is told apart from a loaded machine's: a CI
/// run saw another test's `task-1` held 532 ms.
#[taskgroup::allow_blocking]
#[tokio::test]
async fn as_completed_warns_about_a_blocking_future() {
    let logs = global_warnings();
    let results: Vec<_> = Builder::new()
        .slow_poll(Some(Duration::from_millis(150)))
        .as_completed((0..2).map(|i| async move {
            if i == 1 {
                std::thread::sleep(Duration::from_millis(200));
            }
            Ok::<_, ()>(i)
        }))
        .collect()
        .await;
    assert_eq!(results.len(), 2);
    // Only this test of the binary sets a 150 ms threshold.
    let warnings: Vec<_> = logs
        .warnings()
        .into_iter()
        .filter(|w| w.contains("held its worker thread") && w.contains("(threshold 150ms)"))
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(
        warnings[0].contains("task `task-1` held its worker thread"),
        "{warnings:#?}"
    );
}
