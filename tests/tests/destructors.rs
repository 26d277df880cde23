//! A panic in a destructor the library runs is caught and reported as a
//! named member of the error group, like a child's panic: it never escapes
//! `scope` or a gather.

mod common;
use common::members;

use taskgroup::{ErrorGroup, gather_all, scope};

/// Panics when dropped.
struct Bomb;

impl Drop for Bomb {
    fn drop(&mut self) {
        panic!("bomb");
    }
}

/// The body's `Ok` value is discarded because a child failed.
#[tokio::test]
async fn a_discarded_body_value_that_panics_when_dropped_is_a_member() {
    common::quiet_panics(|p| common::message_starts_with(p, "bomb"));
    let Err(err) = scope(|tg| async move {
        tg.spawn(async {
            tokio::task::yield_now().await;
            Err::<(), _>(1)
        })?;
        Ok(Bomb)
    })
    .await
    else {
        panic!("a child failed")
    };
    assert_eq!(
        members(&err),
        [
            ("task-0".to_string(), "Failed(1)".to_string()),
            ("body".to_string(), "Panicked(\"bomb\")".to_string()),
        ]
    );
}

/// A finished value of a failing `gather_all` is dropped under its name.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_finished_value_of_a_failing_gather_all_is_a_member() {
    common::quiet_panics(|p| common::message_starts_with(p, "bomb"));
    let (done_tx, done_rx) = tokio::sync::oneshot::channel();
    let Err(err) = gather_all([
        Box::pin(async move {
            done_tx.send(()).ok();
            Ok(Some(Bomb))
        }) as futures::future::BoxFuture<'static, Result<Option<Bomb>, &str>>,
        Box::pin(async move {
            done_rx.await.ok();
            Err("down")
        }),
    ])
    .await
    else {
        panic!("task-1 failed")
    };
    let mut seen = members(&err);
    seen.sort();
    assert_eq!(
        seen,
        [
            ("task-0".to_string(), "Panicked(\"bomb\")".to_string()),
            ("task-1".to_string(), "Failed(\"down\")".to_string()),
        ]
    );
}

/// An `as_completed` stream dropped with unconsumed results inside a child:
/// the enclosing scope drops them, and a destructor's panic is a member.
#[tokio::test]
async fn an_unconsumed_as_completed_result_that_panics_is_a_member() {
    common::quiet_panics(|p| common::message_starts_with(p, "bomb"));
    let Err(err) = scope(|tg| async move {
        tg.spawn_named("consumer", drops_an_unconsumed_bomb())?;
        Ok(())
    })
    .await
    else {
        panic!("the dropped result panicked")
    };
    assert_eq!(
        members(&err),
        [("orphan".to_string(), "Panicked(\"bomb\")".to_string())]
    );
}

/// A stream dropped in the body (not a child) is waited for too: its tasks'
/// futures are dropped before the scope returns.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_as_completed_stream_dropped_in_the_body_does_not_outlive_the_scope() {
    for _ in 0..200 {
        let guard = common::Drops::default();
        let counted = guard.clone();
        scope(|_tg| async move {
            let g = counted.guard();
            let mut stream = taskgroup::as_completed([async move {
                let _g = g;
                std::future::pending::<()>().await;
                Ok::<_, ()>(())
            }]);
            assert!(futures::poll!(stream.next()).is_pending());
            tokio::task::yield_now().await;
            drop(stream);
            Ok::<_, ErrorGroup<()>>(())
        })
        .await
        .unwrap();
        assert_eq!(guard.count(), 1);
    }
}

/// An `as_completed` stream dropped with an unconsumed result inside a
/// gather's argument: the gather drains the handed-over result, and a
/// destructor's panic is a member named `orphan`, as in a scope.
#[tokio::test]
async fn an_unconsumed_result_handed_to_a_gather_that_panics_is_a_member() {
    common::quiet_panics(|p| common::message_starts_with(p, "bomb"));
    let Err(err) = gather_all([drops_an_unconsumed_bomb()]).await else {
        panic!("the dropped result panicked")
    };
    assert_eq!(
        members(&err),
        [("orphan".to_string(), "Panicked(\"bomb\")".to_string())]
    );
}

/// The one exception: a settled gather returns no error group to put the
/// panic in, so it is logged as an error, and the argument keeps its value.
#[tokio::test]
async fn an_unconsumed_result_handed_to_a_settled_gather_that_panics_is_logged() {
    common::quiet_panics(|p| common::message_starts_with(p, "bomb"));
    let (logs, _capture) = common::capture_logs(tracing::Level::ERROR);
    let outcomes = taskgroup::gather_settled([drops_an_unconsumed_bomb()]).await;
    assert_eq!(format!("{outcomes:?}"), "[Ok(7)]");
    let errors: Vec<String> = logs
        .lines()
        .into_iter()
        .filter(|line| line.contains("ERROR"))
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].ends_with("a task handed to a settled gather panicked when dropped: bomb"),
        "{errors:?}"
    );
}

/// Starts an `as_completed` stream whose first result is a `Bomb`, and drops
/// the stream once that result is made but before it is read.
async fn drops_an_unconsumed_bomb() -> Result<u32, ()> {
    let (done_tx, done_rx) = tokio::sync::oneshot::channel::<()>();
    let mut stream = taskgroup::as_completed([
        Box::pin(async move {
            done_tx.send(()).ok();
            Ok::<_, ()>(Bomb)
        }) as futures::future::BoxFuture<'static, Result<Bomb, ()>>,
        Box::pin(std::future::pending()),
    ]);
    assert!(futures::poll!(stream.next()).is_pending());
    done_rx.await.ok();
    drop(stream);
    Ok(7)
}

/// Sends on its channel, then panics, when dropped.
struct TellingBomb(Option<tokio::sync::oneshot::Sender<()>>);

impl Drop for TellingBomb {
    fn drop(&mut self) {
        if let Some(dropped) = self.0.take() {
            dropped.send(()).ok();
        }
        panic!("bomb (unclaimed)");
    }
}

/// The one destructor the library does not run: a child's value whose
/// handle was dropped is dropped by tokio, inside tokio's own panic catch,
/// so its panic is neither a member nor escapes (the guide lists it as the
/// exception); the scope's outcome stands.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unclaimed_childs_value_that_panics_when_dropped_is_caught_by_tokio() {
    common::quiet_panics(|p| common::message_starts_with(p, "bomb"));
    let (dropped_tx, dropped) = tokio::sync::oneshot::channel();
    let result = scope(|tg| async move {
        let handle = tg.spawn(async move { Ok::<_, ()>(TellingBomb(Some(dropped_tx))) })?;
        drop(handle);
        Ok(())
    })
    .await;
    assert_eq!(result, Ok(()));
    dropped.await.expect("tokio drops the unclaimed value");
}
