//! `as_completed`: results in completion order with their input index; a
//! failure cancels nothing; dropping the stream aborts the rest; the
//! builder's options either act on the stream or are refused.

use std::time::Duration;

use futures::StreamExt as _;
use taskgroup::Builder;

mod common;
use common::capture_logs;

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
#[tokio::test]
async fn as_completed_warns_about_a_blocking_future() {
    let (logs, _guard) = capture_logs(tracing::Level::WARN);
    let results: Vec<_> = Builder::new()
        .slow_poll(Some(Duration::from_millis(100)))
        .as_completed((0..2).map(|i| async move {
            if i == 1 {
                std::thread::sleep(Duration::from_millis(200));
            }
            Ok::<_, ()>(i)
        }))
        .collect()
        .await;
    assert_eq!(results.len(), 2);
    let warnings: Vec<_> = logs
        .lines()
        .into_iter()
        .filter(|l| l.contains("WARN"))
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(
        warnings[0].contains("task `task-1` held its worker thread"),
        "{warnings:#?}"
    );
}
