//! The rules of `scope` and its `Builder`, each test named after the rule it
//! proves (`sNN_` numbers them as the guide lists them):
//! 1. `Ok(body value)` only after every child, awaited or not;
//! 2. the first failure cancels siblings and body, every failure reported once;
//! 3. a panic is a failure (`TaskError::Panicked`);
//! 4. the body's `Err` cancels the children and comes last; its panic resumes;
//! 5. dropping the scope's future aborts every child;
//! 6. the handle is `Clone + Send`: children spawn siblings; refused spawns;
//! 7. `TaskHandle`: value, abort as a cancellation, name;
//! 8. `ErrorGroup`: order, display, source chain, split, nesting;
//! 9. `gather_all` / `gather_settled`: input order;
//! 10. both runtimes: every test inside `both_flavours!` runs twice, as
//!     `current_thread::NAME` and `multi_thread::NAME` (two workers). Tests
//!     that order events in virtual time (`start_paused`) need the
//!     current-thread runtime, the only one tokio can pause.
//!
//! Then what is done when `scope` returns (`when_it_returns`).
//!
//! No test sleeps to synchronise: ordering comes from oneshot / watch / mpsc
//! channels and `Barrier`, or from tokio's paused clock, which is exact.

use std::error::Error as _;
use std::fmt;
use std::future::pending;
use std::panic::AssertUnwindSafe;
use std::pin::pin;
use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::FutureExt as _;
use taskgroup::{
    Builder, ErrorGroup, SpawnErrorKind, TaskError, TaskGroup, gather_all, gather_settled, scope,
};
use tokio::runtime::RuntimeFlavor;
use tokio::sync::{Barrier, mpsc, oneshot, watch};
use tokio::time::{Instant, sleep};

mod common;
use common::{Count, Drops, HighWater, explode, held_children, names};

type Eg = ErrorGroup<&'static str>;

/// Panics while being dropped (a cleanup that fails on cancellation).
struct PanicOnDrop(&'static str);

impl Drop for PanicOnDrop {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            panic!("{}", self.0);
        }
    }
}

/// Panics with a non-string payload.
fn explode_with(payload: impl std::any::Any + Send + 'static) -> Result<(), &'static str> {
    std::panic::panic_any(payload)
}

/// `n` oneshot links so that child `i` waits for child `i + 1`: the children
/// finish in reverse input order, on any runtime, without sleeping.
/// Returns, per child, what it waits on and whom it releases.
type Link = (Option<oneshot::Receiver<()>>, Option<oneshot::Sender<()>>);

fn reverse_chain(n: usize) -> Vec<Link> {
    let (mut txs, mut rxs): (Vec<_>, Vec<_>) = (0..n)
        .map(|_| {
            let (tx, rx) = oneshot::channel::<()>();
            (Some(tx), Some(rx))
        })
        .unzip();
    (0..n)
        .map(|i| {
            let wait = if i + 1 < n { rxs[i].take() } else { None };
            let release = if i > 0 { txs[i - 1].take() } else { None };
            (wait, release)
        })
        .collect()
}

async fn follow(wait: Option<oneshot::Receiver<()>>) {
    if let Some(wait) = wait {
        wait.await.expect("the next child released this one");
    }
}

fn release(link: Option<oneshot::Sender<()>>) {
    if let Some(tx) = link {
        tx.send(()).expect("the previous child waits");
    }
}

fn is_current_thread() -> bool {
    tokio::runtime::Handle::current().runtime_flavor() == RuntimeFlavor::CurrentThread
}

/// Stamps each test out on the current-thread and the multi-thread runtime.
macro_rules! both_flavours {
    ($($(#[$meta:meta])* async fn $name:ident() $body:block)*) => {
        mod current_thread {
            use super::*;
            $($(#[$meta])* #[tokio::test] async fn $name() $body)*
        }
        mod multi_thread {
            use super::*;
            $($(#[$meta])* #[tokio::test(flavor = "multi_thread", worker_threads = 2)] async fn $name() $body)*
        }
    };
}

both_flavours! {
    // ---- 1. Ok(body value), only after every child, also unawaited ones ----

    async fn s01_returns_body_value_after_all_children() {
        let (open_tx, open_rx) = watch::channel(false);
        let finished = Count::default();
        let (body_done_tx, body_done_rx) = oneshot::channel();
        let f = finished.clone();
        let mut group = pin!(scope(move |tg: TaskGroup<&'static str>| async move {
            for _ in 0..3 {
                let mut open = open_rx.clone();
                let f = f.clone();
                // The handle is dropped: the body never awaits these children.
                tg.spawn(async move {
                    open.wait_for(|o| *o).await.map_err(|_| "gate dropped")?;
                    f.bump();
                    Ok(())
                })?;
            }
            body_done_tx.send(()).unwrap();
            Ok::<_, Eg>(42)
        }));
        // `biased`: the scope is polled first, so if it returned right after
        // its body (the bug this guards against) the first branch wins.
        tokio::select! {
            biased;
            early = &mut group => panic!("scope returned before its children: {early:?}"),
            _ = body_done_rx => {}
        }
        assert_eq!(finished.get(), 0, "children are held at the gate");
        open_tx.send(true).unwrap();
        let value = group.await.unwrap();
        assert_eq!(value, 42);
        assert_eq!(finished.get(), 3, "scope returned only after all three children");
    }

    async fn s01_children_values_reach_the_body() {
        let value = scope(|tg| async move {
            let a = tg.spawn(async { Ok::<_, &str>(20) })?;
            let b = tg.spawn(async { Ok(22) })?;
            Ok::<_, Eg>(a.await? + b.await?)
        })
        .await
        .unwrap();
        assert_eq!(value, 42);
    }

    // ---- 2. first failure cancels siblings and body; every failure once ----

    async fn s02_first_failure_cancels_siblings_and_body() {
        let dropped = Drops::default();
        let completed = Count::default();
        let (started_tx, mut started_rx) = mpsc::unbounded_channel();
        let (go_tx, go_rx) = oneshot::channel::<()>();
        let (d, c) = (dropped.clone(), completed.clone());
        let err = scope(move |tg| async move {
            for i in 0..3 {
                let (guard, c, started) = (d.guard(), c.clone(), started_tx.clone());
                tg.spawn_named(format!("slow-{i}"), async move {
                    let _guard = guard;
                    started.send(()).unwrap();
                    pending::<()>().await;
                    c.bump();
                    Ok(())
                })?;
            }
            tg.spawn_named("bad", async move {
                go_rx.await.unwrap();
                Err::<(), _>("boom")
            })?;
            for _ in 0..3 {
                started_rx.recv().await.unwrap();
            }
            let _guard = d.guard();
            go_tx.send(()).unwrap();
            pending::<()>().await;
            c.bump();
            Ok::<_, Eg>(())
        })
        .await
        .unwrap_err();
        assert_eq!(names(&err), ["bad"]);
        assert!(matches!(err.first().error(), TaskError::Failed("boom")));
        assert_eq!(dropped.count(), 4, "three siblings and the body were dropped");
        assert_eq!(completed.get(), 0, "no sibling nor the body ran past its await");
    }

    async fn s02_every_failure_before_cancellation_reported_once() {
        let returned_err = Count::default();
        let r = returned_err.clone();
        let err = scope(move |tg| async move {
            let barrier = Arc::new(Barrier::new(4));
            for name in ["a", "b", "c", "d"] {
                let (barrier, r) = (Arc::clone(&barrier), r.clone());
                tg.spawn_named(name, async move {
                    barrier.wait().await;
                    // Same poll as the return: once counted, this Err happens.
                    r.bump();
                    Err::<(), _>(name)
                })?;
            }
            tg.spawn_named("sleeper", pending::<Result<(), _>>())?;
            Ok::<_, Eg>(())
        })
        .await
        .unwrap_err();
        // Exactly the failures that happened, each once, with its own name.
        assert_eq!(err.len(), returned_err.get());
        let mut seen = names(&err);
        for f in &err {
            assert_eq!(f.error().as_failed().copied(), Some(&*f.name().to_string()));
        }
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), err.len(), "no failure reported twice");
        assert!(!seen.contains(&"sleeper".to_string()), "cancellation is no failure");
        if is_current_thread() {
            // Single thread: all four ran before the scope saw the first one.
            assert_eq!(err.len(), 4);
        }
    }

    async fn s02_cleanup_panic_of_a_cancelled_child_is_reported_with_its_name() {
        let (started_tx, started_rx) = oneshot::channel();
        let err = scope(move |tg| async move {
            tg.spawn_named("fragile", async move {
                let _cleanup = PanicOnDrop("cleanup failed");
                started_tx.send(()).unwrap();
                pending::<()>().await;
                Ok(())
            })?;
            started_rx.await.unwrap();
            tg.spawn_named("bad", async { Err::<(), _>("boom") })?;
            Ok::<_, Eg>(())
        })
        .await
        .unwrap_err();
        // The cancellation made `fragile`'s cleanup panic: a failure too,
        // reported after the one that caused it, under the child's own name.
        assert_eq!(names(&err), ["bad", "fragile"]);
        assert!(matches!(err.iter().nth(1).unwrap().error(), TaskError::Panicked(m) if m == "cleanup failed"));
    }

    // ---- 3. panics captured as TaskError::Panicked, treated like Err ----

    async fn s03_child_panic_is_captured_and_cancels_siblings() {
        let dropped = Drops::default();
        let d = dropped.clone();
        let err = scope(move |tg| async move {
            let guard = d.guard();
            tg.spawn_named("sibling", async move {
                let _guard = guard;
                pending::<()>().await;
                Ok(())
            })?;
            tg.spawn_named("formatted", async {
                let n = 7;
                if n == 7 {
                    panic!("kaboom {n}");
                }
                Ok(())
            })?;
            let _guard = d.guard();
            pending::<()>().await;
            Ok::<_, Eg>(())
        })
        .await
        .unwrap_err();
        assert_eq!(names(&err), ["formatted"]);
        assert!(matches!(err.first().error(), TaskError::Panicked(m) if m == "kaboom 7"));
        assert_eq!(dropped.count(), 2, "sibling and body cancelled");
    }

    async fn s03_static_and_non_string_panic_payloads() {
        let results = gather_settled([
            async { explode(true, "static message") }.boxed(),
            async { explode_with(42_u32) }.boxed(),
        ])
        .await;
        assert!(matches!(&results[0], Err(TaskError::Panicked(m)) if m == "static message"));
        assert!(
            matches!(&results[1], Err(TaskError::Panicked(m)) if m == "a panic with a non-string payload")
        );
        let err = gather_all([async { explode_with(vec![1_u8]) }])
        .await
        .unwrap_err();
        assert_eq!(names(&err), ["task-0"]);
        assert!(matches!(err.first().error(), TaskError::Panicked(_)));
    }

    // ---- 4. body Err: cancels children, last in the group; body panic ----

    async fn s04_body_err_cancels_children() {
        let dropped = Drops::default();
        let completed = Count::default();
        let (d, c) = (dropped.clone(), completed.clone());
        let err = scope(move |tg| async move {
            for _ in 0..3 {
                let (guard, c) = (d.guard(), c.clone());
                tg.spawn(async move {
                    let _guard = guard;
                    pending::<()>().await;
                    c.bump();
                    Ok::<_, &str>(())
                })?;
            }
            Err::<(), _>("body failed")?;
            Ok(())
        })
        .await
        .unwrap_err();
        assert_eq!(names(&err), ["body"]);
        assert_eq!(err.errors().copied().collect::<Vec<_>>(), ["body failed"]);
        assert_eq!(dropped.count(), 3);
        assert_eq!(completed.get(), 0);
    }

    async fn s04_body_err_comes_last_after_child_failure() {
        let (failing_tx, failing_rx) = oneshot::channel();
        let err = scope(move |tg| async move {
            tg.spawn_named("child", async move {
                // Signal and fail in the same poll: the Err is certain.
                failing_tx.send(()).unwrap();
                Err::<(), _>("child failed")
            })?;
            tg.spawn_named("sleeper", pending::<Result<(), _>>())?;
            failing_rx.await.unwrap();
            Err::<(), _>("body failed")?;
            Ok(())
        })
        .await
        .unwrap_err();
        if is_current_thread() {
            // The scope polls the body (now ready to fail) before it looks at
            // its children: both failures happened, the body's last.
            assert_eq!(names(&err), ["child", "body"]);
            assert_eq!(
                err.errors().copied().collect::<Vec<_>>(),
                ["child failed", "body failed"]
            );
        } else {
            // On two workers the scope may see the child's failure between
            // the send and the body's next poll; the body is then cancelled
            // before it fails, which is no failure. If it failed, it is last.
            let seen = names(&err);
            assert!(seen == ["child", "body"] || seen == ["child"], "{seen:?}");
        }
    }

    async fn s04_body_err_comes_last_in_supervisor_mode() {
        // A supervisor is not cancelled by the child's failure, so the body
        // certainly fails after it, on any runtime.
        let err = Builder::new()
            .supervisor()
            .scope(move |tg| async move {
                let child = tg.spawn_named("child", async { Err::<(), _>("child failed") })?;
                // Resolves (without a value) once the child has failed.
                let _ = child.await;
                Err::<(), _>("body failed")?;
                Ok(())
            })
            .await
            .unwrap_err();
        assert_eq!(names(&err), ["child", "body"]);
        assert_eq!(
            err.errors().copied().collect::<Vec<_>>(),
            ["child failed", "body failed"]
        );
    }

    async fn s04_body_panic_cancels_children_then_resumes() {
        let dropped = Drops::default();
        let (started_tx, mut started_rx) = mpsc::unbounded_channel();
        let d = dropped.clone();
        let caught = AssertUnwindSafe(scope(move |tg: TaskGroup<&'static str>| async move {
            for _ in 0..3 {
                let (guard, started) = (d.guard(), started_tx.clone());
                tg.spawn(async move {
                    let _guard = guard;
                    started.send(()).unwrap();
                    pending::<()>().await;
                    Ok(())
                })?;
            }
            for _ in 0..3 {
                started_rx.recv().await.unwrap();
            }
            explode(true, "body exploded")?;
            Ok::<_, Eg>(())
        }))
        .catch_unwind()
        .await;
        // Read when the panic arrives: the children were dropped before it.
        let dropped_at_resume = dropped.count();
        let payload = caught.expect_err("the body's panic is resumed");
        assert_eq!(payload.downcast_ref::<String>().map(String::as_str), Some("body exploded"));
        assert_eq!(dropped_at_resume, 3);
    }

    // ---- 5. dropping the scope future aborts every child ----

    async fn s05_dropped_scope_future_aborts_every_child() {
        let (open_tx, open_rx) = watch::channel(false);
        let (guard_tx, mut guards_rx) = mpsc::unbounded_channel::<()>();
        let (work_tx, mut work_rx) = mpsc::unbounded_channel::<usize>();
        let (started_tx, mut started_rx) = mpsc::unbounded_channel();
        let group = scope(move |tg: TaskGroup<&'static str>| async move {
            for i in 0..4 {
                let (guard, work, started, mut open) =
                    (guard_tx.clone(), work_tx.clone(), started_tx.clone(), open_rx.clone());
                tg.spawn(async move {
                    let _guard = guard; // its drop closes the channel
                    started.send(()).unwrap();
                    open.wait_for(|o| *o).await.map_err(|_| "gate dropped")?;
                    // The work needs a poll of its own: an abort cannot stop
                    // a poll already running on another worker, it stops
                    // every later one.
                    tokio::task::yield_now().await;
                    work.send(i).unwrap();
                    Ok(())
                })?;
            }
            drop((guard_tx, work_tx, started_tx));
            pending::<()>().await;
            Ok::<_, Eg>(())
        });
        // select! drops the scope's future when the other branch wins.
        tokio::select! {
            r = group => panic!("the scope cannot end: {r:?}"),
            () = async { for _ in 0..4 { started_rx.recv().await.unwrap(); } } => {}
        }
        open_tx.send_replace(true);
        // `None` once every guard (every child future) is dropped.
        assert_eq!(guards_rx.recv().await, None);
        assert_eq!(work_rx.recv().await, None, "no child did its work after the drop");
    }

    async fn s05_aborted_parent_task_aborts_every_child() {
        let (open_tx, open_rx) = watch::channel(false);
        let (guard_tx, mut guards_rx) = mpsc::unbounded_channel::<()>();
        let (work_tx, mut work_rx) = mpsc::unbounded_channel::<usize>();
        let (started_tx, mut started_rx) = mpsc::unbounded_channel();
        let parent = tokio::spawn(scope(move |tg: TaskGroup<&'static str>| async move {
            for i in 0..4 {
                let (guard, work, started, mut open) =
                    (guard_tx.clone(), work_tx.clone(), started_tx.clone(), open_rx.clone());
                tg.spawn(async move {
                    let _guard = guard;
                    started.send(()).unwrap();
                    open.wait_for(|o| *o).await.map_err(|_| "gate dropped")?;
                    // The work needs a poll of its own: an abort cannot stop
                    // a poll already running on another worker, it stops
                    // every later one.
                    tokio::task::yield_now().await;
                    work.send(i).unwrap();
                    Ok(())
                })?;
            }
            drop((guard_tx, work_tx, started_tx));
            pending::<()>().await;
            Ok::<_, Eg>(())
        }));
        for _ in 0..4 {
            started_rx.recv().await.unwrap();
        }
        parent.abort();
        assert!(parent.await.unwrap_err().is_cancelled());
        open_tx.send_replace(true);
        assert_eq!(guards_rx.recv().await, None);
        assert_eq!(work_rx.recv().await, None, "no child did its work after the abort");
    }

    // ---- 6. clone + Send: children spawn siblings; SpawnError ----

    async fn s06_child_spawns_a_sibling_through_a_clone() {
        fn clone_send_sync<T: Clone + Send + Sync + 'static>() {}
        clone_send_sync::<TaskGroup<&'static str>>();
        let (values, order) = scope(|tg| async move {
            let order = Arc::new(Mutex::new(Vec::new()));
            let (o, group) = (Arc::clone(&order), tg.clone());
            let parent = tg.spawn_named("parent", async move {
                let sibling = group
                    .spawn_named("sibling", {
                        let o = Arc::clone(&o);
                        async move {
                            o.lock().unwrap().push("sibling");
                            Ok::<_, &str>(2)
                        }
                    })
                    .map_err(|_| "spawn refused")?;
                let name = sibling.name().to_string();
                let v = sibling.await.map_err(|_| "sibling cancelled")?;
                o.lock().unwrap().push("parent");
                Ok((name, v))
            })?;
            let values = parent.await?;
            let order = order.lock().unwrap().clone();
            Ok::<_, Eg>((values, order))
        })
        .await
        .unwrap();
        assert_eq!(values, ("sibling".to_string(), 2));
        assert_eq!(order, ["sibling", "parent"]);
    }

    async fn s06_spawn_while_shutting_down_is_refused_and_future_dropped_unpolled() {
        let dropped = Drops::default();
        let polled = Arc::new(AtomicBool::new(false));
        let (d, p) = (dropped.clone(), Arc::clone(&polled));
        let refused = Arc::new(Mutex::new(None));
        let r = Arc::clone(&refused);
        // A child that sees the group's token (a sibling failed) tries to spawn.
        let err = Builder::new()
            .grace_period(Duration::from_secs(3600))
            .scope(move |tg| async move {
                let (token, group) = (tg.token(), tg.clone());
                tg.spawn_named("late-spawner", async move {
                    token.cancelled().await;
                    let (guard, p) = (d.guard(), p);
                    let refusal = group
                        .spawn(async move {
                            let _guard = guard;
                            p.store(true, SeqCst);
                            Ok(())
                        })
                        .unwrap_err();
                    *r.lock().unwrap() = Some((refusal.kind(), refusal.to_string()));
                    Ok(())
                })?;
                tg.spawn_named("bad", async { Err::<(), _>("boom") })?;
                Ok::<_, Eg>(())
            })
            .await
            .unwrap_err();
        assert_eq!(names(&err), ["bad"]);
        let (kind, message) = refused.lock().unwrap().take().expect("the spawn was tried");
        assert_eq!(kind, SpawnErrorKind::Closing);
        assert!(message.contains("is closing"), "{message}");
        assert_eq!(dropped.count(), 1);
        assert!(!polled.load(SeqCst));
    }

    // ---- 7. TaskHandle: value, abort() is a cancellation, name() ----

    async fn s07_task_handle_value_abort_and_name() {
        let dropped = Drops::default();
        let completed = Count::default();
        let (d, c) = (dropped.clone(), completed.clone());
        let (go_tx, go_rx) = oneshot::channel::<()>();
        let (values, names_seen, cancelled_name, finished) = scope(move |tg| async move {
            let answer = tg.spawn_named("answer", async { Ok::<_, &str>(42) })?;
            let guard = d.guard();
            let stuck = tg.spawn(async move {
                let _guard = guard;
                pending::<()>().await;
                c.bump();
                Ok(0)
            })?;
            let sibling = tg.spawn(async move {
                go_rx.await.map_err(|_| "go dropped")?;
                Ok(7)
            })?;
            let names_seen = [answer.name(), stuck.name(), sibling.name()].map(|n| n.to_string());
            stuck.abort();
            let cancelled = stuck.await.unwrap_err();
            // Released after the abort: the sibling still runs to completion.
            go_tx.send(()).unwrap();
            let values = (answer.await?, sibling.await?);
            Ok::<_, Eg>((values, names_seen, cancelled.name().to_string(), true))
        })
        .await
        .expect("an aborted child is not a failure");
        assert!(finished);
        assert_eq!(values, (42, 7));
        assert_eq!(names_seen, ["answer", "task-1", "task-2"]);
        assert_eq!(cancelled_name, "task-1");
        assert_eq!(dropped.count(), 1);
        assert_eq!(completed.get(), 0);
    }

    // ---- 9. gather_all / gather_settled: input order ----

    async fn s09_gather_all_input_order_when_finishing_in_reverse() {
        let finished = Arc::new(Mutex::new(Vec::new()));
        let values = gather_all(reverse_chain(5).into_iter().enumerate().map(|(i, link)| {
            let finished = Arc::clone(&finished);
            async move {
                let (wait, next) = link;
                follow(wait).await;
                finished.lock().unwrap().push(i);
                release(next);
                Ok::<_, &str>(i * 10)
            }
        }))
        .await
        .unwrap();
        assert_eq!(*finished.lock().unwrap(), [4, 3, 2, 1, 0]);
        assert_eq!(values, [0, 10, 20, 30, 40]);
    }

    async fn s09_gather_all_fails_fast_and_cancels_the_rest() {
        let dropped = Drops::default();
        let completed = Count::default();
        let futures = (0..5).map(|i| {
            let (guard, c) = (dropped.guard(), completed.clone());
            async move {
                let _guard = guard;
                if i == 2 {
                    return Err("third failed");
                }
                pending::<()>().await;
                c.bump();
                Ok(i)
            }
        });
        let err = gather_all(futures).await.unwrap_err();
        assert_eq!(names(&err), ["task-2"]);
        assert_eq!(err.errors().copied().collect::<Vec<_>>(), ["third failed"]);
        assert_eq!(dropped.count(), 5);
        assert_eq!(completed.get(), 0);
    }

    async fn s09_gather_all_supervised_collects_every_failure_and_cancels_nothing() {
        let completed = Count::default();
        let futures = (0..4).map(|i| {
            let completed = completed.clone();
            async move {
                tokio::task::yield_now().await;
                if i % 2 == 1 {
                    return Err(i);
                }
                completed.bump();
                Ok(i)
            }
        });
        let err = Builder::new().supervisor().gather_all(futures).await.unwrap_err();
        let mut failed: Vec<u32> = err.errors().copied().collect();
        failed.sort();
        assert_eq!(failed, [1, 3]);
        assert_eq!(completed.get(), 2, "the successes were not cancelled");
    }

    async fn s09_gather_all_waits_for_grandchildren_of_a_cancelled_child() {
        type Child = std::pin::Pin<Box<dyn Future<Output = Result<(), ErrorGroup<&'static str>>> + Send>>;
        // Rounds, because a grandchild outliving the gather shows only when
        // the abort and the return race the right way.
        for _ in 0..50 {
            let drops = Drops::default();
            let guard = drops.guard();
            let (started_tx, started_rx) = oneshot::channel();
            let children: Vec<Child> = vec![
                Box::pin(scope(|tg| async move {
                    tg.spawn(async move {
                        let _guard = guard;
                        started_tx.send(()).ok();
                        pending::<()>().await;
                        Ok::<_, &str>(())
                    })?;
                    Ok(())
                })),
                Box::pin(async move {
                    started_rx.await.ok();
                    Err(ErrorGroup::from_task_error("db", TaskError::Failed("down")))
                }),
            ];
            let err = gather_all(children).await.unwrap_err();
            assert_eq!(names(&err), ["task-1"]);
            assert_eq!(drops.count(), 1, "the grandchild ended before gather_all returned");
        }
    }

    async fn s09_gather_settled_input_order_nothing_cancelled() {
        let finished = Arc::new(Mutex::new(Vec::new()));
        let results = gather_settled(reverse_chain(5).into_iter().enumerate().map(|(i, link)| {
            let finished = Arc::clone(&finished);
            async move {
                let (wait, next) = link;
                follow(wait).await;
                finished.lock().unwrap().push(i);
                release(next);
                match i {
                    // The last finishes first and fails: nothing is cancelled.
                    4 => Err("four failed"),
                    2 => explode(true, "two exploded").map(|()| 0),
                    _ => Ok(i * 10),
                }
            }
        }))
        .await;
        assert_eq!(*finished.lock().unwrap(), [4, 3, 2, 1, 0]);
        assert!(matches!(results[0], Ok(0)));
        assert!(matches!(results[1], Ok(10)));
        assert!(matches!(&results[2], Err(TaskError::Panicked(m)) if m == "two exploded"));
        assert!(matches!(results[3], Ok(30)));
        assert!(matches!(results[4], Err(TaskError::Failed("four failed"))));
    }

    // ---- Builder options on both runtimes ----

    async fn builder_supervisor_failure_does_not_cancel_siblings() {
        let (after_tx, after_rx) = oneshot::channel();
        let completed = Count::default();
        let (c1, c2) = (completed.clone(), completed.clone());
        let err = Builder::new()
            .supervisor()
            .scope(move |tg| async move {
                let bad = tg.spawn_named("bad", async { Err::<(), _>("bad failed") })?;
                let healthy = tg.spawn_named("healthy", async move {
                    after_rx.await.map_err(|_| "dropped")?;
                    c1.bump();
                    Ok(5)
                })?;
                tg.spawn_named("worse", async { Err::<(), _>("worse failed") })?;
                // Resolves once `bad` has failed; only then is `healthy` let go.
                assert!(bad.await.is_err());
                after_tx.send(()).unwrap();
                let v = healthy.await?;
                assert!(!tg.is_closed(), "a supervisor keeps taking children");
                c2.bump();
                Ok::<_, Eg>(v)
            })
            .await
            .unwrap_err();
        assert_eq!(completed.get(), 2, "the sibling and the body ran to their end");
        let mut seen = names(&err);
        seen.sort();
        assert_eq!(seen, ["bad", "worse"], "both failures collected");
    }

    async fn builder_cancel_returns_body_value_and_cancels_children() {
        let dropped = Drops::default();
        let completed = Count::default();
        let (d, c) = (dropped.clone(), completed.clone());
        let (started_tx, mut started_rx) = mpsc::unbounded_channel();
        let (value, refused) = scope(move |tg| async move {
            for _ in 0..3 {
                let (guard, c, started) = (d.guard(), c.clone(), started_tx.clone());
                tg.spawn(async move {
                    let _guard = guard;
                    started.send(()).unwrap();
                    pending::<()>().await;
                    c.bump();
                    Ok::<_, &str>(())
                })?;
            }
            for _ in 0..3 {
                started_rx.recv().await.unwrap();
            }
            tg.cancel();
            let refused = tg.spawn(async { Ok(()) }).unwrap_err().kind();
            // The body returns before it awaits again: its value stands.
            Ok::<_, Eg>(("body value", refused))
        })
        .await
        .expect("cancel() is no failure");
        assert_eq!(value, "body value");
        assert_eq!(refused, SpawnErrorKind::Closing);
        assert_eq!(dropped.count(), 3);
        assert_eq!(completed.get(), 0);
    }

    /// After `cancel()` the body is dropped at its next await, as asyncio
    /// cancels the body of a cancelled `TaskGroup`; the scope reports a
    /// cancellation, not a failure.
    async fn builder_cancel_drops_a_body_that_awaits_again() {
        let body_dropped = Drops::default();
        let body_went_on = Count::default();
        let (d, went_on) = (body_dropped.clone(), body_went_on.clone());
        let err = scope(move |tg| async move {
            let _guard = d.guard();
            tg.spawn(std::future::pending::<Result<(), &str>>())?;
            tg.cancel();
            tokio::task::yield_now().await;
            went_on.bump();
            Ok::<_, Eg>("never returned")
        })
        .await
        .unwrap_err();
        assert!(err.is_cancelled(), "{err}");
        assert_eq!(names(&err), ["body"]);
        assert_eq!(body_dropped.count(), 1);
        assert_eq!(body_went_on.get(), 0);
    }
}

// ---- 8. ErrorGroup (current thread, ordered in virtual time) ----

#[derive(Debug, PartialEq)]
struct AppError(&'static str);

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "app error: {}", self.0)
    }
}

impl std::error::Error for AppError {}

/// A supervisor group whose failures happen at 1s, 2s, 3s and the body's at 4s.
async fn four_failures() -> ErrorGroup<AppError> {
    Builder::new()
        .supervisor()
        .scope(|tg| async move {
            tg.spawn_named("a", async {
                sleep(Duration::from_secs(1)).await;
                Err::<(), _>(AppError("a"))
            })?;
            tg.spawn_named("b", async {
                sleep(Duration::from_secs(2)).await;
                explode(true, "b exploded").map_err(AppError)
            })?;
            tg.spawn_named("c", async {
                sleep(Duration::from_secs(3)).await;
                Err::<(), _>(AppError("c"))
            })?;
            sleep(Duration::from_secs(4)).await;
            // `?` on a plain error: `From<E> for ErrorGroup<E>`.
            Err::<(), _>(AppError("body"))?;
            Ok::<_, ErrorGroup<AppError>>(())
        })
        .await
        .unwrap_err()
}

#[tokio::test(start_paused = true)]
async fn s08_members_in_order_with_names_len_first_errors() {
    let err = four_failures().await;
    assert_eq!(err.len(), 4);
    assert_eq!(names(&err), ["a", "b", "c", "body"]);
    assert_eq!(err.first().name(), "a");
    assert_eq!(
        err.errors().collect::<Vec<_>>(),
        [&AppError("a"), &AppError("c"), &AppError("body")]
    );
    assert!(
        matches!(err.iter().nth(1).unwrap().error(), TaskError::Panicked(m) if m == "b exploded")
    );
    let by_ref: Vec<String> = (&err).into_iter().map(|f| f.name().to_string()).collect();
    assert_eq!(by_ref, names(&err));
    let owned: Vec<(String, bool)> = err
        .into_iter()
        .map(|f| {
            let (name, error) = f.into_parts();
            (name.to_string(), error.as_failed().is_some())
        })
        .collect();
    assert_eq!(
        owned,
        [
            ("a".to_string(), true),
            ("b".to_string(), false),
            ("c".to_string(), true),
            ("body".to_string(), true)
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn s08_display_names_the_members_and_alternate_lists_each_with_its_reason() {
    let err = four_failures().await;
    assert_eq!(err.to_string(), "4 tasks failed: `a`, `b`, `c`, `body`");
    assert_eq!(
        format!("{err:#}"),
        "4 tasks failed:\n  task `a` failed: app error: a\n  task `b` failed: panicked: b exploded\n  task `c` failed: app error: c\n  task `body` failed: app error: body"
    );
}

/// Each level of the chain says its own part once: the group, the first
/// failure, its reason (the user's error's text; `E` need not be an
/// `Error`, so the chain ends there).
#[tokio::test(start_paused = true)]
async fn s08_source_chain_reaches_the_first_failures_reason() {
    let err = four_failures().await;
    let failure = err.source().expect("the first failure");
    assert_eq!(failure.to_string(), "task `a` failed");
    let reason = failure.source().expect("its TaskError");
    assert_eq!(reason.to_string(), "app error: a");
    assert_eq!(
        reason.downcast_ref::<TaskError<AppError>>(),
        Some(&TaskError::Failed(AppError("a")))
    );
    assert!(reason.source().is_none());
}

#[tokio::test(start_paused = true)]
async fn s08_split_like_except_star() {
    let err = four_failures().await;
    let (panics, rest) = err.split(|f| matches!(f.error(), TaskError::Panicked(_)));
    let (panics, rest) = (panics.unwrap(), rest.unwrap());
    assert_eq!(names(&panics), ["b"]);
    assert_eq!(names(&rest), ["a", "c", "body"], "order kept");
    let (none, all) = rest.split(|_| false);
    assert!(none.is_none());
    assert_eq!(all.unwrap().len(), 3);
}

#[tokio::test]
async fn s08_question_mark_turns_a_plain_error_into_a_group() {
    let err = scope(|tg: TaskGroup<AppError>| async move {
        let parsed: u8 = "x".parse().map_err(|_| AppError("not a number"))?;
        drop(tg);
        Ok(parsed)
    })
    .await
    .unwrap_err();
    assert_eq!(names(&err), ["body"]);
    assert_eq!(
        err.errors().collect::<Vec<_>>(),
        [&AppError("not a number")]
    );
}

#[tokio::test(start_paused = true)]
async fn s08_nested_groups_flatten_to_leaves() {
    let err = scope(|outer| async move {
        outer.spawn_nested(Builder::new().supervisor().scope(|inner| async move {
            inner.spawn_named("leaf-1", async {
                sleep(Duration::from_secs(1)).await;
                Err::<(), _>(AppError("leaf-1"))
            })?;
            inner.spawn_named("leaf-2", async {
                sleep(Duration::from_secs(3)).await;
                explode(true, "leaf-2 exploded").map_err(AppError)
            })?;
            inner.spawn_nested(scope(|deepest| async move {
                deepest.spawn_named("deep", async {
                    sleep(Duration::from_secs(2)).await;
                    Err::<(), _>(AppError("deep"))
                })?;
                Ok(())
            }))?;
            Ok(())
        }))?;
        Ok(())
    })
    .await
    .unwrap_err();
    assert_eq!(
        names(&err),
        ["task-0/leaf-1", "task-0/task-2/deep", "task-0/leaf-2"]
    );
    assert_eq!(
        err.errors().collect::<Vec<_>>(),
        [&AppError("leaf-1"), &AppError("deep")]
    );
    assert!(
        matches!(err.iter().nth(2).unwrap().error(), TaskError::Panicked(m) if m == "leaf-2 exploded")
    );
}

// ---- 5. also through `tokio::time::timeout`, in virtual time ----

#[tokio::test(start_paused = true)]
async fn s05_timeout_around_the_scope_aborts_every_child() {
    let (alive, mut all_dropped) = mpsc::unbounded_channel::<()>();
    let completed = Count::default();
    let c = completed.clone();
    let outcome = tokio::time::timeout(
        Duration::from_secs(1),
        scope(move |tg| async move {
            for i in 1..=3u64 {
                let (alive, c) = (alive.clone(), c.clone());
                tg.spawn(async move {
                    let _alive = alive;
                    sleep(Duration::from_secs(10 * i)).await;
                    c.bump();
                    Ok::<_, &str>(())
                })?;
            }
            Ok::<_, Eg>(())
        }),
    )
    .await;
    assert!(outcome.is_err(), "the timeout dropped the scope");
    assert_eq!(all_dropped.recv().await, None, "every child future dropped");
    sleep(Duration::from_secs(60)).await;
    assert_eq!(completed.get(), 0, "none ran after the drop");
}

// ---- 9. order proven in virtual time too ----

#[tokio::test(start_paused = true)]
async fn s09_gather_all_input_order_in_virtual_time() {
    let finished = Arc::new(Mutex::new(Vec::new()));
    let start = Instant::now();
    let values = gather_all((0..5u64).map(|i| {
        let finished = Arc::clone(&finished);
        async move {
            sleep(Duration::from_secs(5 - i)).await;
            finished.lock().unwrap().push(i);
            Ok::<_, &str>(i)
        }
    }))
    .await
    .unwrap();
    assert_eq!(*finished.lock().unwrap(), [4, 3, 2, 1, 0]);
    assert_eq!(values, [0, 1, 2, 3, 4]);
    assert_eq!(start.elapsed(), Duration::from_secs(5), "ran concurrently");
}

#[tokio::test]
async fn s09_gather_of_nothing_is_empty() {
    let none: Vec<std::future::Ready<Result<u8, &str>>> = Vec::new();
    assert_eq!(gather_all(none.clone()).await.unwrap(), Vec::<u8>::new());
    assert!(gather_settled(none).await.is_empty());
}

// ---- Builder options in virtual time ----

#[tokio::test(start_paused = true)]
async fn builder_limit_caps_running_children() {
    let high_water = HighWater::default();
    let start = Instant::now();
    let values = Builder::new()
        .limit(3)
        .gather_all((0..10).map(|i| {
            let high_water = high_water.clone();
            async move {
                high_water.track(sleep(Duration::from_secs(1))).await;
                Ok::<_, &str>(i)
            }
        }))
        .await
        .unwrap();
    assert_eq!(values, (0..10).collect::<Vec<_>>());
    assert_eq!(high_water.max(), 3);
    assert_eq!(
        start.elapsed(),
        Duration::from_secs(4),
        "four waves of at most three"
    );
}

// ---- Finished children are released while the group runs ----

#[tokio::test]
async fn finished_children_are_released_while_the_group_runs() {
    let payload = Arc::new(());
    let p = Arc::clone(&payload);
    let held = scope(move |tg| async move {
        let mut held = Vec::new();
        for _ in 0..200 {
            let p = Arc::clone(&p);
            tg.spawn(async move {
                let _p = p;
                Ok::<_, &str>(())
            })?
            .await?;
            held.push(held_children(&tg));
        }
        Ok::<_, Eg>((held, Arc::strong_count(&p)))
    })
    .await
    .unwrap();
    let (held, strong) = held;
    assert_eq!(
        strong, 2,
        "no finished child keeps its captures (test + body)"
    );
    assert!(held.iter().all(|&n| n <= 2), "children held: {held:?}");
    drop(payload);
}

/// What `scope` promises when it returns (see its docs): every child's
/// future has been dropped; the runtime's completion of the task may come a
/// moment later, and awaiting the handle then waits for nothing else.
mod when_it_returns {
    use super::*;
    use taskgroup::TaskHandle;

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
}

// ---- A child spawns a sibling without `?`: `spawn_sibling` ----

/// A child whose sibling spawn is refused (a sibling failed, the group is
/// closing) ends as a cancelled child, not a failed one, and at once, not
/// at the end of the hour-long grace period.
#[tokio::test(start_paused = true)]
async fn a_refused_sibling_spawn_cancels_the_calling_child_at_once() {
    let spawner_dropped = Drops::default();
    let went_on = Arc::new(AtomicBool::new(false));
    let (d, w) = (spawner_dropped.clone(), Arc::clone(&went_on));
    let started = Instant::now();
    let err = Builder::new()
        .grace_period(Duration::from_secs(3600))
        .scope(move |tg| async move {
            let (token, group) = (tg.token(), tg.clone());
            tg.spawn_named("spawner", async move {
                let _guard = d.guard();
                token.cancelled().await;
                group.spawn_sibling_named("late", async { Ok(()) }).await;
                w.store(true, SeqCst);
                Ok::<_, &str>(())
            })?;
            tg.spawn_named("bad", async { Err::<(), _>("boom") })?;
            Ok(())
        })
        .await
        .unwrap_err();
    assert_eq!(format!("{err:#}"), "task `bad` failed: boom");
    assert_eq!(spawner_dropped.count(), 1);
    assert!(!went_on.load(SeqCst), "the refused spawn never returned");
    assert_eq!(
        started.elapsed(),
        Duration::ZERO,
        "no wait for the grace period"
    );
}

/// Spawned siblings are children like any other: their values come back
/// through the handle, their failures go to the group.
#[tokio::test]
async fn a_sibling_spawned_by_a_child_is_a_child_of_the_group() {
    let value = scope(|tg| async move {
        let group = tg.clone();
        let parent = tg.spawn_named("parent", async move {
            let sibling = group.spawn_sibling_named("sibling", async { Ok(20) }).await;
            assert_eq!(sibling.name(), "sibling");
            Ok::<_, &str>(sibling.await.unwrap_or(0) + 1)
        })?;
        Ok(parent.await? * 2)
    })
    .await
    .unwrap();
    assert_eq!(value, 42);
}

/// The body may use it too: after `cancel()` the refused spawn never
/// returns, and the scope ends as a cancellation.
#[tokio::test]
async fn a_refused_sibling_spawn_in_the_body_is_a_cancellation() {
    let went_on = Arc::new(AtomicBool::new(false));
    let w = Arc::clone(&went_on);
    let err = scope(move |tg| async move {
        tg.cancel();
        tg.spawn_sibling(async { Ok::<_, &str>(()) }).await;
        w.store(true, SeqCst);
        Ok(())
    })
    .await
    .unwrap_err();
    assert!(err.is_cancelled(), "{err:#}");
    assert!(!went_on.load(SeqCst));
}

/// A clone of the handle spawns from outside the runtime too.
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
