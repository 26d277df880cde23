//! Cancellation reaches every descendant, however deep, and ends cleanly.

mod common;

use common::Drops;
use futures::future::BoxFuture;
use taskgroup::{ErrorGroup, scope};
use tokio::sync::oneshot;

/// A chain of groups, each running the next as a nested child; the deepest
/// one says it is running, then waits forever.
fn chain(
    depth: u32,
    drops: Drops,
    reached: oneshot::Sender<()>,
) -> BoxFuture<'static, Result<(), ErrorGroup<()>>> {
    Box::pin(scope(move |tg| async move {
        let _guard = drops.guard();
        if depth > 0 {
            tg.spawn_nested(chain(depth - 1, drops.clone(), reached))?
                .await?;
        } else {
            reached.send(()).ok();
            std::future::pending::<()>().await;
        }
        Ok(())
    }))
}

/// Cancelling a parked chain hands each level's children to the level above
/// in a loop: the hand-over once recursed one stack frame per level and
/// overflowed the stack (SIGABRT) at about 10,000 levels.
#[tokio::test]
async fn cancelling_a_chain_of_100_000_nested_groups_ends_cleanly() {
    const DEPTH: u32 = 100_000;
    let drops = Drops::default();
    let (reached, leaf_runs) = oneshot::channel();
    let levels = drops.clone();
    let err = scope(|tg| async move {
        tg.spawn_nested(chain(DEPTH, levels, reached))?;
        leaf_runs.await.expect("the deepest group runs");
        tg.spawn_named("trigger", async { Err::<(), _>(()) })?;
        Ok(())
    })
    .await
    .unwrap_err();
    assert_eq!(err.len(), 1);
    assert_eq!(err.first().name(), "trigger");
    assert_eq!(drops.count(), DEPTH as usize + 1);
}

/// `cancel()` from a child ends the scope promptly while the body waits on
/// something else entirely; the outcome is a cancellation, not a failure.
/// On b02741b the body kept the scope alive forever.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_from_a_child_drops_a_waiting_body() {
    let body_dropped = Drops::default();
    let guard = body_dropped.guard();
    let outcome = tokio::time::timeout(
        std::time::Duration::from_secs(60),
        scope(|tg| async move {
            let _guard = guard;
            let group = tg.clone();
            tg.spawn(async move {
                group.cancel();
                Ok::<_, &str>(())
            })?;
            std::future::pending::<()>().await;
            Ok(())
        }),
    )
    .await
    .expect("the scope returns after cancel()");
    let err = outcome.unwrap_err();
    assert!(err.is_cancelled(), "{err}");
    assert_eq!(format!("{err:#}"), "task `body` was cancelled");
    assert_eq!(body_dropped.count(), 1);
}

/// A dispatcher body that reaches `spawn(..)?` after a child's `cancel()`
/// with no await in between (here it blocks on a std channel until the child
/// has cancelled) has that spawn refused; the `?` ends the scope in a
/// cancellation the caller can tell from a failure without reading text.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[taskgroup::allow_blocking] // waits for the child on purpose, without an await
async fn a_spawn_refused_after_a_childs_cancel_is_a_cancellation() {
    let (cancelled_tx, cancelled) = std::sync::mpsc::channel();
    let err = scope(|tg| async move {
        let group = tg.clone();
        tg.spawn(async move {
            group.cancel();
            cancelled_tx.send(()).unwrap();
            Ok::<_, &str>(())
        })?;
        cancelled.recv().unwrap();
        let refused = tg.spawn(async { Ok(()) });
        assert!(refused.is_err(), "a spawn after cancel() is refused");
        refused?;
        Ok(())
    })
    .await
    .unwrap_err();
    assert!(err.is_cancelled(), "{err}");
    assert_eq!(common::names(&err), ["body"]);
    assert_eq!(format!("{err:#}"), "task `body` was cancelled");
}

/// The same when the body cancels the group itself and spawns again.
#[tokio::test]
async fn a_spawn_refused_after_the_bodys_own_cancel_is_a_cancellation() {
    let err = scope(|tg| async move {
        tg.spawn(async { Ok::<_, &str>(()) })?;
        tg.cancel();
        tg.spawn(async { Ok(()) })?;
        Ok(())
    })
    .await
    .unwrap_err();
    assert!(err.is_cancelled(), "{err}");
    assert_eq!(common::names(&err), ["body"]);
    assert_eq!(format!("{err:#}"), "task `body` was cancelled");
}
