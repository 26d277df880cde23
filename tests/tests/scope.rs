//! What `scope` promises when it returns (see its docs): every child's
//! future has been dropped; the runtime's completion of the task may come a
//! moment later, and awaiting the handle then waits for nothing else.

mod common;

use common::Drops;
use taskgroup::{ErrorGroup, TaskHandle, scope};

const CHILDREN: u32 = 200;

async fn every_child_future_is_dropped_when_the_scope_returns() {
    for _ in 0..100 {
        let drops = Drops::default();
        let guards = drops.clone();
        let handles: Vec<TaskHandle<u32, ()>> = scope(|tg| async move {
            let mut handles = Vec::new();
            for i in 0..CHILDREN {
                let guard = guards.guard();
                handles.push(tg.spawn(async move {
                    let _guard = guard;
                    tokio::task::yield_now().await;
                    Ok(i)
                })?);
            }
            Ok::<_, ErrorGroup<()>>(handles)
        })
        .await
        .unwrap();
        assert_eq!(
            drops.count(),
            CHILDREN as usize,
            "child futures alive after the scope"
        );
        let mut values = Vec::new();
        for handle in handles {
            values.push(handle.await.unwrap());
        }
        assert_eq!(values, (0..CHILDREN).collect::<Vec<_>>());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers() {
    every_child_future_is_dropped_when_the_scope_returns().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn four_workers() {
    every_child_future_is_dropped_when_the_scope_returns().await;
}

#[tokio::test]
async fn current_thread() {
    every_child_future_is_dropped_when_the_scope_returns().await;
}
