//! Conformance with asyncio's `TaskGroup`: each test mirrors one test of
//! CPython's `Lib/test/test_asyncio/test_taskgroups.py`, named in the comment
//! above it (`// test_taskgroup_01`, `// test_taskgroup_finished`, ...), and
//! is named after the behaviour it proves. The last section mirrors
//! `asyncio.gather`'s documented behaviour (input order, `return_exceptions`,
//! cancellation), each test saying which.
//!
//! Translation rules:
//! - A parent task's `cancel()` becomes dropping the scope's future (aborting
//!   the tokio task that runs it, `select!`, `timeout`). Rust has no
//!   asynchronous cleanup after a drop and `Drop` cannot fail, so rows where
//!   asyncio's cancelled code *awaits* or *raises* during its cleanup use the
//!   cooperative form instead: `TaskGroup::cancel()` (or a parent's
//!   `CancellationToken`) with a grace period, which children and the body
//!   observe through a token.
//! - asyncio's `sleep(t)` becomes `tokio::time::sleep` on a paused clock
//!   (`start_paused`), so every ordering below is exact, not a race.
//! - `BaseException`s that asyncio lets escape (`KeyboardInterrupt`) become
//!   panics.

use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::FutureExt as _;
use taskgroup::{
    Builder, CancellationToken, ErrorGroup, SpawnErrorKind, TaskError, TaskGroup, gather_all,
    gather_settled, scope,
};
use tokio::sync::{mpsc, oneshot};
use tokio::time::{Instant, sleep};

mod common;
use common::{DropGuard, Drops, explode, held_children, names};

type Eg = ErrorGroup<&'static str>;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// asyncio's `nonlocal NUM`: a shared counter.
#[derive(Clone, Default)]
struct Num(Arc<AtomicUsize>);

impl Num {
    fn add(&self, n: usize) {
        self.0.fetch_add(n, SeqCst);
    }
    fn get(&self) -> usize {
        self.0.load(SeqCst)
    }
}

/// A sender whose every clone lives in one child: `recv()` on the other end
/// returns `None` once all those children's futures have been dropped.
fn drop_tracker() -> (mpsc::UnboundedSender<()>, mpsc::UnboundedReceiver<()>) {
    mpsc::unbounded_channel()
}

/// asyncio's `crash_after(t)`: fails after `t` milliseconds.
async fn crash_after(t: u64, error: &'static str) -> Result<(), &'static str> {
    sleep(ms(t)).await;
    Err(error)
}

// test_taskgroup_01
#[tokio::test(start_paused = true)]
async fn taskgroup_01_two_children_results_after_the_group_ends() {
    let start = Instant::now();
    let (a, b) = scope(|g| async move {
        let t1 = g.spawn(async {
            sleep(ms(100)).await;
            Ok::<_, &str>(42)
        })?;
        let t2 = g.spawn(async {
            sleep(ms(200)).await;
            Ok(11)
        })?;
        Ok::<_, Eg>((t1, t2))
    })
    .await
    .unwrap();
    // The handles outlive the group; their values are there once it ended.
    assert_eq!(start.elapsed(), ms(200), "the group waited for both");
    assert!(a.is_finished() && b.is_finished());
    assert_eq!((a.await.unwrap(), b.await.unwrap()), (42, 11));
}

// test_taskgroup_02
#[tokio::test(start_paused = true)]
async fn taskgroup_02_spawning_after_an_await_in_the_body() {
    let values = scope(|g| async move {
        let t1 = g.spawn(async {
            sleep(ms(100)).await;
            Ok::<_, &str>(42)
        })?;
        sleep(ms(150)).await;
        let t2 = g.spawn(async {
            sleep(ms(200)).await;
            Ok(11)
        })?;
        Ok::<_, Eg>((t1.await?, t2.await?))
    })
    .await
    .unwrap();
    assert_eq!(values, (42, 11));
}

// test_taskgroup_03
#[tokio::test(start_paused = true)]
async fn taskgroup_03_cancelling_one_child_is_not_an_error() {
    let (t1, t2) = scope(|g| async move {
        let t1 = g.spawn(async {
            sleep(ms(100)).await;
            Ok::<_, &str>(42)
        })?;
        let t2 = g.spawn(async {
            sleep(ms(200)).await;
            Ok(11)
        })?;
        sleep(ms(50)).await;
        t1.abort();
        Ok::<_, Eg>((t1.await, t2.await))
    })
    .await
    .expect("a child cancelled by hand is not a failure");
    assert_eq!(t1.unwrap_err().name(), "task-0", "t1 was cancelled");
    assert_eq!(t2.unwrap(), 11, "its sibling completed");
}

async fn taskgroup_04_runner(num: Num, t2_cancelled: Drops) -> Result<(), Eg> {
    let (n, t2) = (num.clone(), t2_cancelled);
    scope(move |g| async move {
        g.spawn_named("foo1", crash_after(100, "division by zero"))?;
        let (num, guard) = (n, t2.guard());
        g.spawn_named("foo2", async move {
            let _guard = guard;
            sleep(ms(5000)).await;
            num.add(1);
            Ok(())
        })?;
        Ok::<_, Eg>(())
    })
    .await?;
    num.add(10);
    Ok(())
}

// test_taskgroup_04
#[tokio::test(start_paused = true)]
async fn taskgroup_04_child_failure_cancels_sibling_code_after_group_never_runs() {
    let (num, t2_cancelled) = (Num::default(), Drops::default());
    let err = taskgroup_04_runner(num.clone(), t2_cancelled.clone())
        .await
        .unwrap_err();
    assert_eq!(names(&err), ["foo1"]);
    assert_eq!(
        err.errors().copied().collect::<Vec<_>>(),
        ["division by zero"]
    );
    assert_eq!(
        num.get(),
        0,
        "neither foo2 nor the code after the group ran"
    );
    assert_eq!(t2_cancelled.count(), 1);
}

// test_cancel_children_on_child_error
#[tokio::test(start_paused = true)]
async fn taskgroup_cancel_children_on_child_error() {
    let (num, t2_cancel, runner_cancel) = (Num::default(), Drops::default(), Drops::default());
    let (n, t2c, rc) = (num.clone(), t2_cancel.clone(), runner_cancel.clone());
    let err = scope(move |g| async move {
        for name in ["foo1-a", "foo1-b", "foo1-c"] {
            g.spawn_named(name, crash_after(100, "division by zero"))?;
        }
        let (guard, n2) = (t2c.guard(), n.clone());
        g.spawn_named("foo2", async move {
            let _guard = guard;
            sleep(ms(5000)).await;
            n2.add(1);
            Ok(())
        })?;
        let _guard = rc.guard();
        sleep(ms(10_000)).await;
        n.add(10);
        Ok::<_, Eg>(())
    })
    .await
    .unwrap_err();
    // On a paused current-thread runtime all three fail at the same instant,
    // before the group gets to cancel anything: every one is reported (in
    // the order the timer woke them, which tokio leaves open).
    let mut seen = names(&err);
    seen.sort();
    assert_eq!(seen, ["foo1-a", "foo1-b", "foo1-c"]);
    assert!(err.errors().all(|e| *e == "division by zero"));
    assert_eq!(num.get(), 0);
    assert_eq!(t2_cancel.count(), 1, "the sibling was cancelled");
    assert_eq!(runner_cancel.count(), 1, "the body's await was cancelled");
}

// test_cancellation
#[tokio::test(start_paused = true)]
async fn taskgroup_cancellation() {
    let (alive, mut all_dropped) = drop_tracker();
    let num = Num::default();
    let n = num.clone();
    let runner = tokio::spawn(scope(move |g| async move {
        for _ in 0..5 {
            let (alive, n) = (alive.clone(), n.clone());
            g.spawn(async move {
                let _alive = alive;
                sleep(ms(5000)).await;
                n.add(1);
                Ok::<_, &str>(())
            })?;
        }
        // The body ends here; the group waits for its children.
        Ok::<_, Eg>(())
    }));
    sleep(ms(100)).await;
    assert!(!runner.is_finished());
    runner.abort();
    let outcome = runner.await;
    assert!(
        outcome.unwrap_err().is_cancelled(),
        "the parent sees its cancellation, not an error"
    );
    assert_eq!(all_dropped.recv().await, None, "all five children dropped");
    sleep(ms(10_000)).await;
    assert_eq!(num.get(), 0, "no child ran to completion");
}

// test_taskgroup_07
#[tokio::test(start_paused = true)]
async fn taskgroup_07_parent_cancelled_while_the_body_awaits() {
    let (alive, mut all_dropped) = drop_tracker();
    let num = Num::default();
    let n = num.clone();
    let runner = tokio::spawn(scope(move |g| async move {
        for _ in 0..5 {
            let (alive, n) = (alive.clone(), n.clone());
            g.spawn(async move {
                let _alive = alive;
                sleep(ms(5000)).await;
                n.add(1);
                Ok::<_, &str>(())
            })?;
        }
        let _body_alive = alive;
        sleep(ms(10_000)).await;
        n.add(10);
        Ok::<_, Eg>(())
    }));
    sleep(ms(100)).await;
    assert!(!runner.is_finished());
    runner.abort();
    assert!(runner.await.unwrap_err().is_cancelled());
    assert_eq!(
        all_dropped.recv().await,
        None,
        "five children and the body dropped"
    );
    sleep(ms(20_000)).await;
    assert_eq!(num.get(), 0);
}

// test_taskgroup_08
// asyncio: the parent is cancelled and every child raises in its `finally`.
// Adapted: a dropped scope has no one to report to and `Drop` cannot fail, so
// the parent cancels cooperatively with `cancel()` and a grace period; the
// children's cleanup fails, and those errors beat the cancellation.
#[tokio::test(start_paused = true)]
async fn taskgroup_08_children_fail_during_cleanup_after_cancel() {
    let (handle_tx, handle_rx) = oneshot::channel();
    let runner = tokio::spawn(
        Builder::new()
            .grace_period(ms(1000))
            .scope(move |g| async move {
                for _ in 0..5 {
                    let token = g.token();
                    g.spawn(async move {
                        tokio::select! {
                            () = sleep(ms(10_000)) => Ok(()),
                            // asyncio: `finally: 1 / 0`
                            () = token.cancelled() => Err("division by zero"),
                        }
                    })?;
                }
                handle_tx.send(g.clone()).unwrap();
                sleep(ms(10_000)).await;
                Ok::<_, Eg>(())
            }),
    );
    let group = handle_rx.await.unwrap();
    sleep(ms(100)).await;
    assert!(!runner.is_finished());
    group.cancel();
    let err = runner.await.unwrap().unwrap_err();
    let mut seen = names(&err);
    seen.sort();
    assert_eq!(seen, ["task-0", "task-1", "task-2", "task-3", "task-4"]);
    assert!(err.errors().all(|e| *e == "division by zero"));
}

/// test_taskgroup_09 / _10: the body fails, after an await or at once, while
/// two children sleep: the group holds the body's error and both children
/// are cancelled before doing their work.
async fn body_fails_while_children_sleep(await_first: bool) {
    let (t1, t2) = (Drops::default(), Drops::default());
    let (g1, g2) = (t1.guard(), t2.guard());
    let completed = Num::default();
    let (c1, c2) = (completed.clone(), completed.clone());
    let err = scope(move |g| async move {
        g.spawn(async move {
            let _g = g1;
            sleep(ms(1000)).await;
            c1.add(1);
            Ok(42)
        })?;
        g.spawn(async move {
            let _g = g2;
            sleep(ms(2000)).await;
            c2.add(1);
            Ok(11)
        })?;
        if await_first {
            sleep(ms(100)).await;
        }
        Err::<(), _>("division by zero")?;
        Ok::<_, Eg>(())
    })
    .await
    .unwrap_err();
    assert_eq!(names(&err), ["body"]);
    assert_eq!(
        err.errors().copied().collect::<Vec<_>>(),
        ["division by zero"]
    );
    assert_eq!(
        (t1.count(), t2.count(), completed.get()),
        (1, 1, 0),
        "both cancelled"
    );
}

// test_taskgroup_09
#[tokio::test(start_paused = true)]
async fn taskgroup_09_body_fails_after_an_await() {
    body_fails_while_children_sleep(true).await;
}

// test_taskgroup_10
#[tokio::test(start_paused = true)]
async fn taskgroup_10_body_fails_without_an_await() {
    body_fails_while_children_sleep(false).await;
}

// test_taskgroup_11
// asyncio: nested `async with` blocks; the parent is cancelled and the inner
// children raise in their cleanup. Adapted as in test_08: the outer group is
// cancelled cooperatively (`cancel()` + grace period) and the inner children
// watch the outer group's token.
#[tokio::test(start_paused = true)]
async fn taskgroup_11_nested_parent_cancelled_inner_children_fail_in_cleanup() {
    let (handle_tx, handle_rx) = oneshot::channel();
    let runner = tokio::spawn(
        Builder::new()
            .grace_period(ms(1000))
            .scope(move |g1| async move {
                handle_tx.send(g1.clone()).unwrap();
                let outer_token = g1.token();
                scope(|g2| async move {
                    for i in 0..5 {
                        let token = outer_token.clone();
                        g2.spawn_named(format!("foo-{i}"), async move {
                            tokio::select! {
                                () = sleep(ms(10_000)) => Ok(()),
                                () = token.cancelled() => Err("division by zero"),
                            }
                        })?;
                    }
                    sleep(ms(10_000)).await;
                    Ok::<_, Eg>(())
                })
                .await?;
                Ok::<_, Eg>(())
            }),
    );
    let outer = handle_rx.await.unwrap();
    sleep(ms(100)).await;
    assert!(!runner.is_finished());
    outer.cancel();
    let err = runner.await.unwrap().unwrap_err();
    // The inner group's error, propagated by the outer body: leaves reachable.
    let mut seen = names(&err);
    seen.sort();
    assert_eq!(seen, ["foo-0", "foo-1", "foo-2", "foo-3", "foo-4"]);
    assert!(err.errors().all(|e| *e == "division by zero"));
}

// test_taskgroup_12
#[tokio::test(start_paused = true)]
async fn taskgroup_12_nested_with_outer_sibling_inner_children_fail_in_cleanup() {
    let (handle_tx, handle_rx) = oneshot::channel();
    let sibling = Drops::default();
    let guard = sibling.guard();
    let runner = tokio::spawn(
        Builder::new()
            .grace_period(ms(1000))
            .scope(move |g1| async move {
                handle_tx.send(g1.clone()).unwrap();
                g1.spawn_named("sleeper", async move {
                    let _guard = guard;
                    sleep(ms(10_000)).await;
                    Ok(())
                })?;
                let outer_token = g1.token();
                g1.spawn_nested(scope(|g2| async move {
                    for i in 0..5 {
                        let token = outer_token.clone();
                        g2.spawn_named(format!("foo-{i}"), async move {
                            tokio::select! {
                                () = sleep(ms(10_000)) => Ok(()),
                                () = token.cancelled() => Err("division by zero"),
                            }
                        })?;
                    }
                    sleep(ms(10_000)).await;
                    Ok(())
                }))?;
                Ok::<_, Eg>(())
            }),
    );
    let outer = handle_rx.await.unwrap();
    sleep(ms(100)).await;
    assert!(!runner.is_finished());
    outer.cancel();
    let err = runner.await.unwrap().unwrap_err();
    // The nested group's leaves, flattened under the outer child's name.
    let mut seen = names(&err);
    seen.sort();
    assert_eq!(
        seen,
        [
            "task-1/foo-0",
            "task-1/foo-1",
            "task-1/foo-2",
            "task-1/foo-3",
            "task-1/foo-4"
        ]
    );
    assert_eq!(sibling.count(), 1, "the outer sibling was cancelled");
}

// test_taskgroup_13
#[tokio::test(start_paused = true)]
async fn taskgroup_13_outer_child_fails_while_the_inner_group_waits() {
    let (alive, mut inner_dropped) = drop_tracker();
    let start = Instant::now();
    let err = scope(|g1| async move {
        g1.spawn_named("crash-0.1", crash_after(100, "ValueError(0.1)"))?;
        scope(|g2| async move {
            g2.spawn_named("crash-10", async move {
                let _alive = alive;
                crash_after(10_000, "ValueError(10)").await
            })?;
            Ok::<_, Eg>(())
        })
        .await?;
        Ok::<_, Eg>(())
    })
    .await
    .unwrap_err();
    assert_eq!(start.elapsed(), ms(100));
    assert_eq!(names(&err), ["crash-0.1"]);
    assert_eq!(
        err.errors().copied().collect::<Vec<_>>(),
        ["ValueError(0.1)"]
    );
    assert_eq!(
        inner_dropped.recv().await,
        None,
        "the inner child was cancelled"
    );
}

// test_taskgroup_14
#[tokio::test(start_paused = true)]
async fn taskgroup_14_inner_child_fails_outer_group_holds_the_inner_error() {
    let outer_child = Drops::default();
    let guard = outer_child.guard();
    let err = scope(|g1| async move {
        g1.spawn_named("crash-10", async move {
            let _guard = guard;
            crash_after(10_000, "ValueError(10)").await
        })?;
        g1.spawn_nested(scope(|g2| async move {
            g2.spawn_named("crash-0.1", crash_after(100, "ValueError(0.1)"))?;
            Ok::<_, Eg>(())
        }))?;
        Ok::<_, Eg>(())
    })
    .await
    .unwrap_err();
    assert_eq!(names(&err), ["task-1/crash-0.1"]);
    assert_eq!(
        err.errors().copied().collect::<Vec<_>>(),
        ["ValueError(0.1)"]
    );
    assert_eq!(outer_child.count(), 1);
}

/// asyncio's test_15 runner: the body awaits; when its parent asks it to
/// stop it cleans up slowly (0.5s); meanwhile a child crashes at 0.3s.
async fn slow_cleanup_runner(
    parent: CancellationToken,
    cleaned_up: Arc<AtomicBool>,
) -> Result<(), Eg> {
    scope(|g1| async move {
        g1.spawn_named("crash_soon", crash_after(300, "division by zero"))?;
        tokio::select! {
            () = sleep(ms(10_000)) => {}
            () = parent.cancelled() => {
                // asyncio: `except CancelledError: await sleep(0.5); raise`
                sleep(ms(500)).await;
                cleaned_up.store(true, SeqCst);
                return Err(ErrorGroup::from_task_error("body", TaskError::Cancelled));
            }
        }
        Ok(())
    })
    .await
}

// test_taskgroup_15
// Adapted: the parent's cancellation reaches the body as a token (a dropped
// future cannot clean up asynchronously); the crash during the body's slow
// cleanup wins: the result is the child's error, not a cancellation.
#[tokio::test(start_paused = true)]
async fn taskgroup_15_body_slow_to_clean_up_while_a_child_crashes() {
    let parent = CancellationToken::new();
    let cleaned_up = Arc::new(AtomicBool::new(false));
    let start = Instant::now();
    let r = tokio::spawn(slow_cleanup_runner(parent.clone(), Arc::clone(&cleaned_up)));
    sleep(ms(100)).await;
    assert!(!r.is_finished());
    parent.cancel();
    let err = r.await.unwrap().unwrap_err();
    assert_eq!(names(&err), ["crash_soon"]);
    assert_eq!(
        err.errors().copied().collect::<Vec<_>>(),
        ["division by zero"]
    );
    assert_eq!(start.elapsed(), ms(300), "the crash cut the cleanup short");
    assert!(!cleaned_up.load(SeqCst));
}

// test_taskgroup_16
// As test_15, with the group inside a task that the cancelled runner awaits.
#[tokio::test(start_paused = true)]
async fn taskgroup_16_same_with_the_group_in_an_awaited_task() {
    let parent = CancellationToken::new();
    let cleaned_up = Arc::new(AtomicBool::new(false));
    let (p, c) = (parent.clone(), Arc::clone(&cleaned_up));
    let r = tokio::spawn(async move {
        let t = tokio::spawn(slow_cleanup_runner(p, c));
        t.await.unwrap()
    });
    sleep(ms(100)).await;
    assert!(!r.is_finished());
    parent.cancel();
    let err = r.await.unwrap().unwrap_err();
    assert_eq!(names(&err), ["crash_soon"]);
    assert!(!cleaned_up.load(SeqCst));
}

// test_taskgroup_17
#[tokio::test(start_paused = true)]
async fn taskgroup_17_empty_group_parent_cancelled() {
    let body_cancelled = Drops::default();
    let guard = body_cancelled.guard();
    let num = Num::default();
    let n = num.clone();
    let outcome = tokio::time::timeout(
        ms(100),
        scope(move |_g: TaskGroup<&'static str>| async move {
            let _guard = guard;
            sleep(ms(10_000)).await;
            n.add(1);
            Ok::<_, Eg>(())
        }),
    )
    .await;
    assert!(
        outcome.is_err(),
        "the parent sees its own cancellation (Elapsed)"
    );
    assert_eq!(
        body_cancelled.count(),
        1,
        "asyncio's NUM += 10 in the body's handler"
    );
    assert_eq!(num.get(), 0);
}

// test_taskgroup_18
// Adapted: the parent cancels through the group (`cancel()`), which the body
// sees on its token; the body turns that into its own error.
#[tokio::test(start_paused = true)]
async fn taskgroup_18_body_turns_its_cancellation_into_an_error() {
    let (handle_tx, handle_rx) = oneshot::channel();
    let runner = tokio::spawn(scope(move |g: TaskGroup<&'static str>| async move {
        let token = g.token();
        handle_tx.send(g).unwrap();
        tokio::select! {
            () = sleep(ms(10_000)) => Ok(()),
            () = token.cancelled() => Err(ErrorGroup::from("MyExc")),
        }
    }));
    let group = handle_rx.await.unwrap();
    sleep(ms(100)).await;
    assert!(!runner.is_finished());
    group.cancel();
    let err = runner.await.unwrap().unwrap_err();
    assert_eq!(names(&err), ["body"]);
    assert_eq!(err.errors().copied().collect::<Vec<_>>(), ["MyExc"]);
}

// test_taskgroup_19
// asyncio: the body, cancelled by the child's crash, raises in `finally`.
// Rust's body cannot raise from its cancellation (a drop); the same pair of
// failures arises when the body fails before the cancellation reaches it.
#[tokio::test(start_paused = true)]
async fn taskgroup_19_child_error_plus_body_error() {
    let (crashed_tx, crashed_rx) = oneshot::channel();
    let err = scope(move |g| async move {
        g.spawn_named("crash_soon", async move {
            sleep(ms(100)).await;
            crashed_tx.send(()).unwrap();
            Err::<(), _>("division by zero")
        })?;
        crashed_rx.await.unwrap();
        Err::<(), _>("MyExc")?;
        Ok::<_, Eg>(())
    })
    .await
    .unwrap_err();
    assert_eq!(names(&err), ["crash_soon", "body"]);
    assert_eq!(
        err.errors().copied().collect::<Vec<_>>(),
        ["division by zero", "MyExc"]
    );
}

/// Panics while being dropped: asyncio's `finally: raise KeyboardInterrupt`.
struct PanicOnDrop(&'static str);

impl Drop for PanicOnDrop {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            panic!("{}", self.0);
        }
    }
}

// test_taskgroup_20
// A child crashes, which cancels the body; the body's cleanup panics (asyncio:
// KeyboardInterrupt in `finally`). The panic resumes out of the scope, after
// the other children were cancelled.
#[tokio::test(start_paused = true)]
async fn taskgroup_20_body_panics_in_cleanup_children_cancelled_then_resumes() {
    let others = Drops::default();
    let guard = others.guard();
    let caught = AssertUnwindSafe(scope(move |g| async move {
        g.spawn_named("crash_soon", crash_after(100, "division by zero"))?;
        g.spawn_named("other", async move {
            let _guard = guard;
            sleep(ms(10_000)).await;
            Ok(())
        })?;
        let _cleanup = PanicOnDrop("KeyboardInterrupt");
        sleep(ms(10_000)).await;
        Ok::<_, Eg>(())
    }))
    .catch_unwind()
    .await;
    let dropped_at_resume = others.count();
    let payload = caught.expect_err("the panic resumes");
    assert_eq!(
        payload.downcast_ref::<String>().map(String::as_str),
        Some("KeyboardInterrupt")
    );
    assert_eq!(
        dropped_at_resume, 1,
        "children were cancelled before the panic resumed"
    );
}

// test_taskgroup_20a
// asyncio gathers a non-fatal BaseException from the body with the child's
// error; Rust has one kind of fatal error, the panic, and a body panic always
// resumes (semantic 4), after every child has been cancelled.
#[tokio::test(start_paused = true)]
async fn taskgroup_20a_body_panic_cancels_children_then_resumes() {
    let others = Drops::default();
    let guard = others.guard();
    let caught = AssertUnwindSafe(scope(move |g| async move {
        g.spawn_named("other", async move {
            let _guard = guard;
            sleep(ms(10_000)).await;
            Ok(())
        })?;
        sleep(ms(100)).await;
        explode(true, "MyBaseExc")?;
        Ok::<_, Eg>(())
    }))
    .catch_unwind()
    .await;
    let dropped_at_resume = others.count();
    let payload = caught.expect_err("the panic resumes");
    assert_eq!(
        payload.downcast_ref::<String>().map(String::as_str),
        Some("MyBaseExc")
    );
    assert_eq!(dropped_at_resume, 1);
}

// test_taskgroup_21a
// A child's fatal error (a panic) is captured and reported together with the
// body's error, like asyncio's BaseExceptionGroup {MyBaseExc, TypeError}.
#[tokio::test(start_paused = true)]
async fn taskgroup_21a_child_panic_reported_with_the_other_errors() {
    let (crashed_tx, crashed_rx) = oneshot::channel();
    let err = scope(move |g| async move {
        g.spawn_named("crash_soon", async move {
            sleep(ms(100)).await;
            crashed_tx.send(()).unwrap();
            explode(true, "MyBaseExc")
        })?;
        crashed_rx.await.unwrap();
        Err::<(), _>("TypeError")?;
        Ok::<_, Eg>(())
    })
    .await
    .unwrap_err();
    assert_eq!(names(&err), ["crash_soon", "body"]);
    assert!(matches!(err.first().error(), TaskError::Panicked(m) if m == "MyBaseExc"));
    assert_eq!(err.errors().copied().collect::<Vec<_>>(), ["TypeError"]);
}

// test_taskgroup_22
#[tokio::test(start_paused = true)]
async fn taskgroup_22_parent_cancelled_early() {
    let completed = Num::default();
    let (alive, mut all_dropped) = drop_tracker();
    let c = completed.clone();
    let runner = tokio::spawn(scope(move |g| async move {
        for delay in [1000, 2000] {
            let (c, alive) = (c.clone(), alive.clone());
            g.spawn(async move {
                let _alive = alive;
                sleep(ms(delay)).await;
                c.add(1);
                Ok::<_, &str>(delay)
            })?;
        }
        Ok::<_, Eg>(())
    }));
    sleep(ms(50)).await;
    runner.abort();
    assert!(runner.await.unwrap_err().is_cancelled());
    assert_eq!(all_dropped.recv().await, None);
    sleep(ms(5000)).await;
    assert_eq!(completed.get(), 0);

    // Cancelled before it ever ran: the body never starts.
    let started = Arc::new(AtomicBool::new(false));
    let s = Arc::clone(&started);
    let never = tokio::spawn(scope(move |_g: TaskGroup<&'static str>| async move {
        s.store(true, SeqCst);
        Ok::<_, Eg>(())
    }));
    never.abort();
    assert!(never.await.unwrap_err().is_cancelled());
    assert!(!started.load(SeqCst));
}

// test_taskgroup_23
#[tokio::test(start_paused = true)]
async fn taskgroup_23_finished_children_are_released() {
    let captured = Arc::new(());
    let c = Arc::clone(&captured);
    let (at_five, at_end, captures_at_end) = scope(move |g| async move {
        let mut at_five = usize::MAX;
        for count in 0..10 {
            sleep(ms(100)).await;
            let c = Arc::clone(&c);
            g.spawn(async move {
                let _c = c; // released when the job ends
                sleep(ms(300)).await;
                Ok::<_, &str>(())
            })?;
            if count == 5 {
                at_five = held_children(&g);
            }
        }
        sleep(ms(1350)).await;
        Ok::<_, Eg>((at_five, held_children(&g), Arc::strong_count(&c)))
    })
    .await
    .unwrap();
    assert!(at_five < 5, "held at count 5: {at_five}");
    assert_eq!(
        at_end, 0,
        "every finished child was released while the group ran"
    );
    assert_eq!(
        captures_at_end, 2,
        "only the test and the body hold the Arc"
    );
}

// test_taskgroup_24
#[tokio::test(start_paused = true)]
async fn taskgroup_24_a_child_spawns_children_into_the_same_group() {
    let done = Arc::new(Mutex::new(Vec::new()));
    let start = Instant::now();
    let d = Arc::clone(&done);
    scope(move |g| async move {
        let group = g.clone();
        g.spawn_named("root", async move {
            sleep(ms(100)).await;
            for delay in [100, 200] {
                let d = Arc::clone(&d);
                group
                    .spawn_named(format!("coro1-{delay}"), async move {
                        sleep(ms(delay)).await;
                        d.lock().unwrap().push(delay);
                        Ok(())
                    })
                    .map_err(|_| "refused")?;
            }
            Ok::<_, &str>(())
        })?;
        Ok::<_, Eg>(())
    })
    .await
    .unwrap();
    assert_eq!(
        *done.lock().unwrap(),
        [100, 200],
        "both grandchildren ran to the end"
    );
    assert_eq!(start.elapsed(), ms(300), "the group waited for them");
}

/// asyncio's hydra: each head waits, then grows two more into its group.
fn hydra(
    g: TaskGroup<&'static str>,
    heads: Num,
) -> futures::future::BoxFuture<'static, Result<(), &'static str>> {
    async move {
        heads.add(1);
        sleep(ms(10)).await;
        for _ in 0..2 {
            // Refused once the group is closing.
            let _ = g.spawn(hydra(g.clone(), heads.clone()));
        }
        Ok(())
    }
    .boxed()
}

// test_taskgroup_25
#[tokio::test(start_paused = true)]
async fn taskgroup_25_children_spawn_children_until_a_sibling_fails() {
    let heads = Num::default();
    let h = heads.clone();
    let err = scope(move |g| async move {
        g.spawn_named("hydra", hydra(g.clone(), h.clone()))?;
        g.spawn_named("hercules", async move {
            while h.get() < 10 {
                sleep(ms(15)).await;
            }
            Err::<(), _>("division by zero")
        })?;
        Ok::<_, Eg>(())
    })
    .await
    .unwrap_err();
    assert_eq!(names(&err), ["hercules"]);
    let at_end = heads.get();
    assert!(at_end >= 10, "heads: {at_end}");
    sleep(ms(1000)).await;
    assert_eq!(heads.get(), at_end, "the spawning stopped with the group");
}

// test_taskgroup_task_name
#[tokio::test]
async fn taskgroup_task_name() {
    let err = scope(|g| async move {
        let named = g.spawn_named("the-name", async { Ok::<_, &str>(()) })?;
        let unnamed = g.spawn(async { Ok(()) })?;
        assert_eq!(named.name(), "the-name");
        assert_eq!(unnamed.name(), "task-1");
        named.await?;
        unnamed.await?;
        g.spawn_named("the-failing-one", async { Err::<(), _>("bad") })?;
        Ok::<_, Eg>(())
    })
    .await
    .unwrap_err();
    assert_eq!(err.first().name(), "the-failing-one");
    assert_eq!(format!("{err:#}"), "task `the-failing-one` failed: bad");
}

// test_taskgroup_no_create_task_after_failure
// asyncio: a cancelled child's `except CancelledError:` calls create_task and
// gets RuntimeError. Rust: the cancelled child's cleanup (its Drop) tries to
// spawn and gets `SpawnErrorKind::Closing`; the refused future never runs.
#[tokio::test(start_paused = true)]
async fn taskgroup_no_create_task_after_failure() {
    struct SpawnOnDrop {
        group: TaskGroup<&'static str>,
        outcome: Arc<Mutex<Option<SpawnErrorKind>>>,
        ran: Arc<AtomicBool>,
    }
    impl Drop for SpawnOnDrop {
        fn drop(&mut self) {
            let ran = Arc::clone(&self.ran);
            let refused = self.group.spawn(async move {
                ran.store(true, SeqCst);
                Ok(())
            });
            *self.outcome.lock().unwrap() = refused.err().map(|e| e.kind());
        }
    }
    let outcome = Arc::new(Mutex::new(None));
    let ran = Arc::new(AtomicBool::new(false));
    let (o, r) = (Arc::clone(&outcome), Arc::clone(&ran));
    let escaped = Arc::new(Mutex::new(None));
    let e = Arc::clone(&escaped);
    let err = scope(move |g| async move {
        *e.lock().unwrap() = Some(g.clone());
        g.spawn_named("coro1", crash_after(1, "division by zero"))?;
        let cleanup = SpawnOnDrop {
            group: g.clone(),
            outcome: o,
            ran: r,
        };
        g.spawn_named("coro2", async move {
            let _cleanup = cleanup;
            sleep(ms(1000)).await;
            Ok(())
        })?;
        Ok::<_, Eg>(())
    })
    .await
    .unwrap_err();
    assert_eq!(names(&err), ["coro1"]);
    assert_eq!(*outcome.lock().unwrap(), Some(SpawnErrorKind::Closing));
    sleep(ms(1000)).await;
    assert!(!ran.load(SeqCst), "the refused future never ran");
    // And the failed group, once ended, refuses work as finished.
    let group = escaped.lock().unwrap().take().unwrap();
    let refused = group.spawn(async { Ok(()) }).unwrap_err();
    assert_eq!(refused.kind(), SpawnErrorKind::Finished);
}

// test_taskgroup_finished
#[tokio::test]
async fn taskgroup_finished_spawn_is_rejected_and_the_future_dropped() {
    let g = scope(|g: TaskGroup<&'static str>| async move { Ok::<_, Eg>(g) })
        .await
        .unwrap();
    assert!(g.is_closed());
    let dropped = Drops::default();
    let ran = Arc::new(AtomicBool::new(false));
    let (guard, r) = (dropped.guard(), Arc::clone(&ran));
    let err = g
        .spawn(async move {
            let _guard = guard;
            r.store(true, SeqCst);
            Ok(())
        })
        .unwrap_err();
    assert_eq!(err.kind(), SpawnErrorKind::Finished);
    assert!(err.to_string().contains("has finished"), "{err}");
    assert_eq!(dropped.count(), 1, "the coroutine is closed, not leaked");
    tokio::task::yield_now().await;
    assert!(!ran.load(SeqCst), "and never ran");
}

// test_taskgroup_not_entered: not applicable. A `TaskGroup` exists only
// inside `scope` (there is no public constructor), so there is no group that
// was never entered to spawn on.

// test_taskgroup_double_enter: not applicable. `scope` creates a fresh group
// each time; a `TaskGroup` value cannot be entered a second time.

// test_error_and_cancel
// An outside cancellation arriving together with a child's error is not
// lost: the parent task still ends cancelled, and its code after the group
// never runs past its next await.
#[tokio::test(start_paused = true)]
async fn taskgroup_error_and_cancel() {
    let (event_tx, event_rx) = oneshot::channel();
    let group_result = Arc::new(Mutex::new(None));
    let after_group = Arc::new(AtomicBool::new(false));
    let (gr, ag) = (Arc::clone(&group_result), Arc::clone(&after_group));
    let inner = tokio::spawn(async move {
        let r = scope(move |tg| async move {
            tg.spawn(async move {
                event_tx.send(()).unwrap();
                tokio::task::yield_now().await;
                Err::<(), _>("RuntimeError")
            })?;
            sleep(ms(1000)).await;
            Ok::<_, Eg>(())
        })
        .await;
        *gr.lock().unwrap() = Some(r.map_err(|e| names(&e)));
        sleep(ms(1000)).await;
        ag.store(true, SeqCst);
    });
    event_rx.await.unwrap();
    inner.abort();
    assert!(
        inner.await.unwrap_err().is_cancelled(),
        "the cancellation is not lost"
    );
    assert!(
        !after_group.load(SeqCst),
        "the sleep after the group was cancelled"
    );
    // Whether the group got to report before the abort landed, it never
    // reports success.
    if let Some(r) = group_result.lock().unwrap().take() {
        assert_eq!(r, Err(vec!["task-0".to_string()]));
    }
}

// test_exception_refcycles_* (Rust analogue): the error group owns its
// errors, nothing else does; no clone of the group outlives its children.
#[tokio::test]
async fn taskgroup_exception_refcycles_error_group_owns_its_errors() {
    fn owned<T: Send + Sync + 'static>() {}
    owned::<ErrorGroup<std::io::Error>>();

    struct TrackedError {
        _guard: DropGuard,
    }

    let error_drops = Drops::default();
    let futures_dropped = Drops::default();
    let (ed, fd) = (error_drops.clone(), futures_dropped.clone());
    let err = scope(move |g: TaskGroup<TrackedError>| async move {
        for _ in 0..3 {
            // Every child holds a clone of the group: a would-be cycle.
            let (group, error, guard) =
                (g.clone(), TrackedError { _guard: ed.guard() }, fd.guard());
            g.spawn(async move {
                let _keep = (group, guard);
                tokio::task::yield_now().await;
                Err::<(), _>(error)
            })?;
        }
        Ok::<_, ErrorGroup<TrackedError>>(())
    })
    .await
    .unwrap_err();
    assert_eq!(
        futures_dropped.count(),
        3,
        "children (and their group clones) are gone"
    );
    assert_eq!(
        error_drops.count(),
        3 - err.len(),
        "reported errors are alive in the group"
    );
    drop(err);
    assert_eq!(
        error_drops.count(),
        3,
        "dropping the group frees every error"
    );
}

// ---- asyncio.gather ----

// gather: results in input order whatever the completion order
#[tokio::test(start_paused = true)]
async fn gather_results_in_input_order_whatever_the_completion_order() {
    let order = Arc::new(Mutex::new(Vec::new()));
    let values = gather_all((0..4u64).map(|i| {
        let order = Arc::clone(&order);
        async move {
            sleep(ms(400 - 100 * i)).await;
            order.lock().unwrap().push(i);
            Ok::<_, &str>(i)
        }
    }))
    .await
    .unwrap();
    assert_eq!(*order.lock().unwrap(), [3, 2, 1, 0]);
    assert_eq!(values, [0, 1, 2, 3]);
}

// gather: empty input → empty result
#[tokio::test]
async fn gather_empty_input_gives_an_empty_result() {
    let empty: Vec<std::future::Ready<Result<(), &str>>> = Vec::new();
    assert!(gather_all(empty.clone()).await.unwrap().is_empty());
    assert!(gather_settled(empty).await.is_empty());
}

// gather default mode. DELIBERATE DIFFERENCE: asyncio raises the first error
// and leaves the other awaitables running; taskgroup cancels them and reports
// every error that happened.
#[tokio::test(start_paused = true)]
async fn gather_default_mode_cancels_the_rest_and_aggregates_every_error() {
    let completed = Num::default();
    let (alive, mut all_dropped) = drop_tracker();
    let futures = (0..5u64).map(|i| {
        let (c, alive) = (completed.clone(), alive.clone());
        async move {
            let _alive = alive;
            sleep(ms(100)).await;
            if i % 2 == 1 {
                return Err(if i == 1 { "first" } else { "second" });
            }
            sleep(ms(1000)).await;
            c.add(1);
            Ok(i)
        }
    });
    let err = gather_all(futures).await.unwrap_err();
    drop(alive);
    // Both fail at the same instant; the order between them is the timer's.
    let mut failed: Vec<_> = err
        .iter()
        .map(|f| (f.name().to_string(), f.error().as_failed().copied()))
        .collect();
    failed.sort();
    assert_eq!(
        failed,
        [
            ("task-1".to_string(), Some("first")),
            ("task-3".to_string(), Some("second"))
        ],
        "both errors, with their input positions"
    );
    assert_eq!(all_dropped.recv().await, None);
    sleep(ms(5000)).await;
    assert_eq!(
        completed.get(),
        0,
        "the others were cancelled, not left running"
    );
}

// gather(..., return_exceptions=True)
#[tokio::test(start_paused = true)]
async fn gather_return_exceptions_settled_nothing_cancelled() {
    let results = gather_settled((0..4u64).map(|i| async move {
        sleep(ms(400 - 100 * i)).await;
        match i {
            3 => Err("fails first"),
            1 => explode(true, "panics").map(|()| 0),
            _ => Ok(i),
        }
    }))
    .await;
    assert!(
        matches!(results[0], Ok(0)),
        "finished after a failure: not cancelled"
    );
    assert!(matches!(&results[1], Err(TaskError::Panicked(m)) if m == "panics"));
    assert!(matches!(results[2], Ok(2)));
    assert!(matches!(results[3], Err(TaskError::Failed("fails first"))));
}

// gather cancelled: every unfinished child is cancelled
#[tokio::test(start_paused = true)]
async fn gather_cancelled_cancels_every_unfinished_child() {
    let completed = Num::default();
    let (alive, mut all_dropped) = drop_tracker();
    let futures: Vec<_> = (0..4u64)
        .map(|i| {
            let (c, alive) = (completed.clone(), alive.clone());
            async move {
                let _alive = alive;
                sleep(ms(100 * (i + 1))).await;
                c.add(1);
                Ok::<_, &str>(i)
            }
        })
        .collect();
    drop(alive);
    let outcome = tokio::time::timeout(ms(250), gather_all(futures)).await;
    assert!(outcome.is_err());
    assert_eq!(all_dropped.recv().await, None);
    sleep(ms(5000)).await;
    assert_eq!(
        completed.get(),
        2,
        "the two that finished before; none after"
    );
}
