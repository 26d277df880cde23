//! `limit(n)` and failures: a queued child never starts once a sibling failed.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use taskgroup::Builder;

async fn queued_children_started_after_a_failure() -> usize {
    let started = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&started);
    let err = Builder::new()
        .limit(1)
        .scope(move |tg| async move {
            tg.spawn_named("first", async { Err::<(), _>("boom") })?;
            for _ in 0..20 {
                let started = Arc::clone(&counted);
                tg.spawn(async move {
                    started.fetch_add(1, Ordering::SeqCst);
                    Ok(())
                })?;
            }
            Ok(())
        })
        .await
        .unwrap_err();
    assert_eq!(err.first().name(), "first");
    assert_eq!(err.len(), 1);
    started.load(Ordering::SeqCst)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_queued_child_starts_after_a_failure_multi_thread() {
    for round in 0..200 {
        assert_eq!(
            queued_children_started_after_a_failure().await,
            0,
            "round {round}"
        );
    }
}

#[tokio::test]
async fn no_queued_child_starts_after_a_failure_current_thread() {
    for round in 0..200 {
        assert_eq!(
            queued_children_started_after_a_failure().await,
            0,
            "round {round}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queued_children_start_in_spawn_order() {
    for round in 0..50 {
        let order = Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = Arc::clone(&order);
        Builder::new()
            .limit(1)
            .scope(move |tg| async move {
                for i in 0..30 {
                    let seen = Arc::clone(&seen);
                    tg.spawn(async move {
                        seen.lock().unwrap().push(i);
                        tokio::task::yield_now().await;
                        Ok::<_, ()>(())
                    })?;
                }
                Ok(())
            })
            .await
            .unwrap();
        let order = order.lock().unwrap().clone();
        assert_eq!(order, (0..30).collect::<Vec<_>>(), "round {round}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn as_completed_with_a_limit_starts_in_input_order() {
    use futures::StreamExt as _;
    for round in 0..50 {
        let order = Arc::new(std::sync::Mutex::new(Vec::new()));
        let stream = Builder::new().limit(1).as_completed((0..30).map(|i| {
            let seen = Arc::clone(&order);
            async move {
                seen.lock().unwrap().push(i);
                tokio::task::yield_now().await;
                Ok::<_, ()>(i)
            }
        }));
        assert_eq!(stream.count().await, 30);
        let order = order.lock().unwrap().clone();
        assert_eq!(order, (0..30).collect::<Vec<_>>(), "round {round}");
    }
}

/// A limit of 0 would start no child: refused at once, with what to write
/// instead, rather than silently taken as 1.
#[test]
#[should_panic(expected = "Builder::limit(0): no child could ever start")]
fn a_limit_of_zero_is_refused() {
    let _ = taskgroup::Builder::new().limit(0);
}
