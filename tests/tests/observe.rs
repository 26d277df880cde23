//! The slow-poll detector, tracing spans, and `as_completed` (issue 7).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures::StreamExt as _;
use taskgroup::{Builder, TaskError};

mod common;
use common::capture_logs;

#[tokio::test]
async fn slow_poll_warns_once_naming_a_blocking_child() {
    let (logs, _guard) = capture_logs(tracing::Level::WARN);
    Builder::new()
        .slow_poll(Some(Duration::from_millis(100)))
        .scope(|tg| async move {
            tg.spawn_named("blocker", async {
                std::thread::sleep(Duration::from_millis(200));
                Ok::<_, ()>(())
            })?;
            tg.spawn_named("sleeper", async {
                tokio::time::sleep(Duration::from_millis(200)).await;
                Ok(())
            })?;
            Ok(())
        })
        .await
        .unwrap();
    let warnings: Vec<_> = logs
        .lines()
        .into_iter()
        .filter(|l| l.contains("WARN"))
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(warnings[0].contains("task `blocker` held its worker thread"));
    assert!(!warnings[0].contains("sleeper"));
}

#[tokio::test]
async fn slow_poll_detector_can_be_turned_off() {
    let (logs, _guard) = capture_logs(tracing::Level::WARN);
    Builder::new()
        .slow_poll(None)
        .scope(|tg| async move {
            tg.spawn_named("blocker", async {
                std::thread::sleep(Duration::from_millis(150));
                Ok::<_, ()>(())
            })?;
            Ok(())
        })
        .await
        .unwrap();
    assert_eq!(logs.lines(), Vec::<String>::new());
}

#[tokio::test]
async fn children_run_in_spans_and_failures_are_logged_at_debug() {
    let (logs, _guard) = capture_logs(tracing::Level::DEBUG);
    let err = taskgroup::scope(|tg| async move {
        tg.spawn_named("fetch-profile", async {
            tracing::info!("fetching");
            Ok::<_, &str>(())
        })?;
        tg.spawn_named("fetch-orders", async { Err::<(), _>("down") })?;
        tg.spawn_named("stuck", std::future::pending::<Result<(), &str>>())?;
        Ok(())
    })
    .await
    .unwrap_err();
    assert_eq!(err.len(), 1);
    let lines = logs.lines();
    let info = lines.iter().find(|l| l.contains("fetching")).unwrap();
    assert!(
        info.contains("task{") && info.contains("task=fetch-profile"),
        "{info}"
    );
    assert!(
        lines.iter().any(|l| l.contains("DEBUG")
            && l.contains("child failed")
            && l.contains("fetch-orders")),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("DEBUG") && l.contains("child cancelled")),
        "{lines:#?}"
    );
    // Logged, never printed as warnings or errors.
    assert!(
        !lines
            .iter()
            .any(|l| l.contains("ERROR") || l.contains("WARN"))
    );
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

/// Reports its drop on a channel: proof that a cancelled child's future was dropped.
struct DropGuard(tokio::sync::mpsc::UnboundedSender<usize>, usize);
impl Drop for DropGuard {
    fn drop(&mut self) {
        let _ = self.0.send(self.1);
    }
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clone_of_the_group_spawns_from_a_plain_thread() {
    let value = taskgroup::scope(|tg| async move {
        let (handle_tx, handle_rx) = tokio::sync::oneshot::channel();
        let clone = tg.clone();
        std::thread::spawn(move || {
            let _ = handle_tx.send(clone.spawn(async { Ok::<_, ()>(7) }));
        });
        Ok(handle_rx.await.unwrap()?.await?)
    })
    .await
    .unwrap();
    assert_eq!(value, 7);
}

#[tokio::test(start_paused = true)]
async fn cancel_from_a_child_aborts_token_ignorers_after_the_grace_period() {
    let started = tokio::time::Instant::now();
    let (dropped_tx, dropped_rx) = tokio::sync::oneshot::channel::<()>();
    let group = Builder::new()
        .grace_period(Duration::from_secs(2))
        .scope(|tg| async move {
            let canceller = tg.clone();
            // Cancels, then ignores the token: no child completion wakes the
            // scope, so only `cancel()` itself can start the grace timer.
            tg.spawn(async move {
                canceller.cancel();
                std::future::pending::<()>().await;
                Ok::<_, ()>(())
            })?;
            tg.spawn(async move {
                let _sender_dropped_on_abort = dropped_tx;
                std::future::pending::<()>().await;
                Ok(())
            })?;
            Ok("body value")
        });
    let value = tokio::time::timeout(Duration::from_secs(60), group)
        .await
        .expect("the grace period ended the group")
        .unwrap();
    assert_eq!(value, "body value");
    // The child's future, and the sender it owned, were dropped by the abort.
    dropped_rx.await.unwrap_err();
    assert_eq!(started.elapsed(), Duration::from_secs(2));
}

/// `#[task_group(slow_poll = ..)]` sets the detector's threshold.
#[taskgroup::task_group(slow_poll = Duration::from_millis(50))]
async fn blocks_once() -> Result<(), taskgroup::ErrorGroup<()>> {
    tg.spawn_named("legacy-client", async {
        #[taskgroup::allow_blocking]
        std::thread::sleep(Duration::from_millis(100));
        Ok(())
    })?;
    Ok(())
}

#[tokio::test]
async fn task_group_slow_poll_option_sets_the_threshold() {
    let (logs, _guard) = capture_logs(tracing::Level::WARN);
    blocks_once().await.unwrap();
    let warnings: Vec<_> = logs
        .lines()
        .into_iter()
        .filter(|l| l.contains("WARN"))
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(warnings[0].contains("task `legacy-client` held its worker thread"));
}
