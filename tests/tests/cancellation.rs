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
    assert_eq!(err.first().task(), "trigger");
    assert_eq!(drops.count(), DEPTH as usize + 1);
}
