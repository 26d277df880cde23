//! The slow-poll detector and tracing spans: what a group tells the outside
//! world about its children.

use std::time::Duration;

use taskgroup::Builder;

mod common;
use common::capture_logs;

#[tokio::test]
// Blocks on purpose: what the test is about.
#[taskgroup::allow_blocking]
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
    let warnings = logs.warnings();
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(warnings[0].contains("task `blocker` held its worker thread"));
    assert!(!warnings[0].contains("sleeper"));
}

#[tokio::test]
// Blocks on purpose: what the test is about.
#[taskgroup::allow_blocking]
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

/// `#[task_group(tg, slow_poll = ..)]` sets the detector's threshold.
#[taskgroup::task_group(tg, slow_poll = Duration::from_millis(50))]
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
    let warnings = logs.warnings();
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(warnings[0].contains("task `legacy-client` held its worker thread"));
}
