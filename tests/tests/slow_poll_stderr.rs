//! The slow-poll detector without a tracing subscriber writes to stderr,
//! once per task. Each case runs this test binary again as a child process
//! (this file's tests, selected by name, with an environment variable
//! saying they are the child's run) and reads the child's stderr.

use std::process::Command;
use std::time::Duration;

use taskgroup::Builder;

const CHILD_RUN: &str = "TASKGROUP_SLOW_POLL_CHILD";

/// What `case` writes to stderr when this binary runs it alone.
fn stderr_of(case: &str) -> String {
    let out = Command::new(std::env::current_exe().expect("the test binary"))
        .args([case, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_RUN, "1")
        .output()
        .expect("the test binary runs");
    assert!(out.status.success(), "{case} failed: {out:?}");
    String::from_utf8(out.stderr).expect("UTF-8")
}

/// The lines of the detector's warnings.
fn warnings(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|line| line.starts_with("taskgroup: task"))
        .collect()
}

/// A group with one child that holds its thread in three polls, and one
/// that never does.
// Blocks on purpose: what the test is about.
#[taskgroup::allow_blocking]
async fn block_three_times() {
    Builder::new()
        .slow_poll(Some(Duration::from_millis(50)))
        .scope(|tg| async move {
            tg.spawn_named("blocker", async {
                for _ in 0..3 {
                    std::thread::sleep(Duration::from_millis(80));
                    tokio::task::yield_now().await;
                }
                Ok::<_, ()>(())
            })?;
            tg.spawn_named("sleeper", async {
                tokio::time::sleep(Duration::from_millis(100)).await;
                Ok(())
            })?;
            Ok(())
        })
        .await
        .unwrap();
}

#[tokio::test]
async fn child_run_without_subscriber() {
    if std::env::var_os(CHILD_RUN).is_some() {
        block_three_times().await;
    }
}

#[tokio::test]
async fn child_run_with_subscriber() {
    if std::env::var_os(CHILD_RUN).is_some() {
        let subscriber = tracing_subscriber::fmt()
            .with_writer(std::io::sink)
            .finish();
        let _guard = tracing::subscriber::set_default(subscriber);
        block_three_times().await;
    }
}

#[test]
fn without_a_subscriber_the_warning_goes_to_stderr_once_per_task() {
    if std::env::var_os(CHILD_RUN).is_some() {
        return;
    }
    let stderr = stderr_of("child_run_without_subscriber");
    let warnings = warnings(&stderr);
    assert_eq!(warnings.len(), 1, "{stderr}");
    assert!(
        warnings[0].starts_with("taskgroup: task `blocker` held its worker thread for "),
        "{stderr}"
    );
    assert!(
        warnings[0].ends_with(
            "in one poll (threshold 50ms); a blocking call is likely: move it into \
             `tokio::task::spawn_blocking`. (Written here once per task because no tracing \
             subscriber is installed; with one, every slow poll is a WARN event.)"
        ),
        "{stderr}"
    );
}

#[test]
fn with_a_subscriber_stderr_stays_quiet() {
    if std::env::var_os(CHILD_RUN).is_some() {
        return;
    }
    let stderr = stderr_of("child_run_with_subscriber");
    assert_eq!(warnings(&stderr), Vec::<&str>::new(), "{stderr}");
}
