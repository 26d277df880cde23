//! Cancellation safety: every child's destructors run when it is
//! cancelled, wherever it is suspended; panics of every shape, in `Drop` too,
//! are captured without aborting the process or losing other failures.
//!
//! # A child stuck in a blocking call
//! A tokio task can only be cancelled at an `.await`: `abort()` marks it, and
//! the runtime drops it the next time it would poll it. A child stuck inside
//! a blocking call (`std::thread::sleep`, a synchronous read, a long loop)
//! keeps its worker thread until that call returns; the code up to its next
//! `.await` still runs, and only then is it dropped. So the scope, which
//! waits for every child to end, returns late by the length of the blocking
//! call, and nothing is leaked or lost. The slow-poll detector warns, naming
//! the task, when one poll holds the worker longer than its threshold; the
//! compile-time check (`#[deny_blocking]`) rejects the blocking calls it can
//! see. `blocking_child_delays_the_scope_until_it_yields_and_is_reported`
//! tests both halves on a multi-thread runtime.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::time::Duration;

use futures::FutureExt as _;
use taskgroup::{Builder, ErrorGroup, TaskError, TaskGroup};
use tokio::sync::{Notify, mpsc};

mod common;

// ------------------------------------------------------------------ helpers

/// Counts live drop guards and wakes waiters on every change.
#[derive(Default)]
struct Tracker {
    live: AtomicUsize,
    created: AtomicUsize,
    /// Children that reached the `.await` they will be cancelled in.
    reached: AtomicUsize,
    changed: Notify,
}

impl Tracker {
    fn new() -> Arc<Tracker> {
        Arc::new(Tracker::default())
    }

    fn guard(self: &Arc<Self>) -> Guard {
        self.created.fetch_add(1, SeqCst);
        self.live.fetch_add(1, SeqCst);
        Guard(Arc::clone(self))
    }

    fn reached(&self) {
        self.reached.fetch_add(1, SeqCst);
        self.changed.notify_waiters();
    }

    async fn wait_for(&self, done: impl Fn(&Tracker) -> bool) {
        loop {
            let changed = self.changed.notified();
            let mut changed = std::pin::pin!(changed);
            changed.as_mut().enable();
            if done(self) {
                return;
            }
            changed.await;
        }
    }

    async fn all_reached(&self, n: usize) {
        self.wait_for(|t| t.reached.load(SeqCst) >= n).await;
    }

    /// Waits for aborted children to be dropped by the runtime. The bound is
    /// a failure detector (on a paused clock it is virtual and only elapses
    /// when nothing else can run), never a synchronisation.
    async fn all_dropped(&self) -> bool {
        tokio::time::timeout(
            Duration::from_secs(60),
            self.wait_for(|t| t.live.load(SeqCst) == 0),
        )
        .await
        .is_ok()
    }
}

struct Guard(Arc<Tracker>);

impl Drop for Guard {
    fn drop(&mut self) {
        self.0.live.fetch_sub(1, SeqCst);
        self.0.changed.notify_waiters();
    }
}

/// A value whose destructor panics (with a non-string payload when asked).
struct PanicsOnDrop {
    message: &'static str,
    non_string: bool,
}

impl Drop for PanicsOnDrop {
    fn drop(&mut self) {
        if self.non_string {
            std::panic::panic_any(7u64);
        }
        panic!("{}", self.message);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Code(u32);

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Code({})", self.0)
    }
}

/// Keeps the test output readable: the panics this file provokes are expected.
fn quiet_panics() {
    common::quiet_panics(|payload| {
        common::message_starts_with(payload, "expected")
            || payload.is::<u32>()
            || payload.is::<u64>()
            || payload.is::<Code>()
    });
}

fn panics(group: &ErrorGroup<Code>) -> Vec<String> {
    group
        .iter()
        .filter_map(|f| match f.error() {
            TaskError::Panicked(msg) => Some(msg.clone()),
            _ => None,
        })
        .collect()
}

// ------------------------------------- destructors run wherever a child waits

#[derive(Debug, Clone, Copy)]
enum Wait {
    Channel,
    Timer,
    NestedGroup,
    Handle,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Cause {
    /// A sibling fails (fail-fast).
    SiblingFails,
    /// Each child aborted through its handle.
    Abort,
    /// `TaskGroup::cancel()`.
    Cancel,
    /// `cancel()` with a grace period the children ignore: aborted at its end.
    CancelAfterGrace,
    /// The group's deadline.
    Deadline,
    /// The scope's future dropped from outside.
    OutsideDrop,
}

const WAITS: [Wait; 4] = [Wait::Channel, Wait::Timer, Wait::NestedGroup, Wait::Handle];
const CAUSES: [Cause; 6] = [
    Cause::SiblingFails,
    Cause::Abort,
    Cause::Cancel,
    Cause::CancelAfterGrace,
    Cause::Deadline,
    Cause::OutsideDrop,
];

/// How many children (and nested bodies) report reaching their `.await`.
fn reach_count(wait: Wait) -> usize {
    match wait {
        Wait::Channel | Wait::Timer => 1,
        Wait::Handle => 2,
        Wait::NestedGroup => 3,
    }
}

/// Spawns a child that holds a guard and suspends in `wait`; returns the
/// handles to abort for `Cause::Abort`.
fn spawn_waiting(
    tg: &TaskGroup<Code>,
    t: &Arc<Tracker>,
    wait: Wait,
    keep: &mpsc::Sender<()>,
    mut rx: mpsc::Receiver<()>,
) -> Vec<taskgroup::TaskHandle<(), Code>> {
    let (guard, t2) = (t.guard(), Arc::clone(t));
    let handle = match wait {
        Wait::Channel => tg.spawn_named("on-channel", async move {
            let _guard = guard;
            t2.reached();
            rx.recv().await;
            unreachable!("the sender is alive");
        }),
        Wait::Timer => tg.spawn_named("on-timer", async move {
            let _guard = guard;
            t2.reached();
            tokio::time::sleep(Duration::from_secs(3600)).await;
            Ok(())
        }),
        Wait::NestedGroup => {
            let keep = keep.clone();
            tg.spawn_nested(async move {
                let _guard = guard;
                taskgroup::scope(|inner| async move {
                    let (g1, g2, g3) = (t2.guard(), t2.guard(), t2.guard());
                    let t3 = Arc::clone(&t2);
                    inner.spawn_named("inner-channel", async move {
                        let _g = g1;
                        let _keep = keep;
                        t3.reached();
                        rx.recv().await;
                        Ok(())
                    })?;
                    let t4 = Arc::clone(&t2);
                    inner.spawn_named("inner-timer", async move {
                        let _g = g2;
                        t4.reached();
                        tokio::time::sleep(Duration::from_secs(3600)).await;
                        Ok(())
                    })?;
                    // The nested body is suspended too.
                    let _g = g3;
                    t2.reached();
                    std::future::pending::<()>().await;
                    Ok(())
                })
                .await
            })
        }
        Wait::Handle => {
            // `awaited` ends when `on-handle` is dropped (its sender with it),
            // so aborting `on-handle` alone ends both.
            let (gone_tx, gone_rx) = tokio::sync::oneshot::channel::<()>();
            let (g2, t3) = (t.guard(), Arc::clone(t));
            let awaited = tg
                .spawn_named("awaited", async move {
                    let _g = g2;
                    t3.reached();
                    let _ = gone_rx.await;
                    Ok(())
                })
                .unwrap();
            tg.spawn_named("on-handle", async move {
                let _guard = guard;
                let _gone = gone_tx;
                t2.reached();
                let _ = awaited.await;
                Ok(())
            })
        }
    };
    vec![handle.unwrap()]
}

/// One child suspended in `wait`, cancelled by `cause`: every guard dropped,
/// no failure but the injected one reported.
async fn destructors_run(wait: Wait, cause: Cause) {
    let t = Tracker::new();
    let (keep, rx) = mpsc::channel::<()>(1);
    let mut builder = Builder::new();
    match cause {
        Cause::CancelAfterGrace => builder = builder.grace_period(Duration::from_millis(50)),
        Cause::Deadline => builder = builder.timeout(Duration::from_millis(50)),
        _ => {}
    }
    let t2 = Arc::clone(&t);
    let keep2 = keep.clone();
    let scope = builder.scope(move |tg: TaskGroup<Code>| async move {
        let handles = spawn_waiting(&tg, &t2, wait, &keep2, rx);
        t2.all_reached(reach_count(wait)).await;
        match cause {
            Cause::SiblingFails => {
                tg.spawn_named("failing", async { Err::<(), _>(Code(1)) })?;
            }
            Cause::Abort => {
                handles.iter().for_each(|h| h.abort());
                return Ok(());
            }
            Cause::Cancel | Cause::CancelAfterGrace => {
                tg.cancel();
                return Ok(());
            }
            Cause::Deadline | Cause::OutsideDrop => {}
        }
        // Cancelled here by the failure or the deadline, or dropped.
        std::future::pending::<()>().await;
        Ok(())
    });
    let what = format!("{wait:?} cancelled by {cause:?}");
    if cause == Cause::OutsideDrop {
        let mut scope = Box::pin(scope);
        tokio::select! {
            biased;
            _ = &mut scope => panic!("{what}: the scope cannot end by itself"),
            () = t.all_reached(reach_count(wait)) => {}
        }
        drop(scope);
        assert!(t.all_dropped().await, "{what}: children leaked");
    } else {
        let result = scope.await;
        // The scope returned: every child and grandchild has been dropped.
        assert_eq!(
            t.live.load(SeqCst),
            0,
            "{what}: returned with live children"
        );
        match cause {
            Cause::SiblingFails => {
                let err = result.unwrap_err();
                assert_eq!(err.len(), 1, "{what}: {err:?}");
                assert_eq!(err.first().name(), "failing");
            }
            Cause::Deadline => {
                let err = result.unwrap_err();
                assert_eq!(err.len(), 1, "{what}: {err:?}");
                assert!(matches!(err.first().error(), TaskError::TimedOut(_)));
            }
            // A cancellation is not a failure.
            _ => result.unwrap(),
        }
    }
    // Every guard was created (the case ran as intended), and all dropped.
    let guards = reach_count(wait) + usize::from(matches!(wait, Wait::NestedGroup));
    assert_eq!(t.created.load(SeqCst), guards, "{what}");
    assert_eq!(t.live.load(SeqCst), 0, "{what}");
    drop(keep);
}

#[tokio::test(start_paused = true)]
async fn destructors_run_on_every_cancellation_at_every_await_current_thread() {
    for wait in WAITS {
        for cause in CAUSES {
            destructors_run(wait, cause).await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn destructors_run_on_every_cancellation_at_every_await_multi_thread() {
    for _ in 0..5 {
        for wait in WAITS {
            for cause in CAUSES {
                destructors_run(wait, cause).await;
            }
        }
    }
}

// ------------------------------------------------------------------ panics

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

const NON_STRING: &str = "a panic with a non-string payload";

#[tokio::test(start_paused = true)]
async fn non_string_panic_payloads_are_captured_with_every_other_failure() {
    quiet_panics();
    let err = Builder::new()
        .supervisor()
        .scope(|tg| async move {
            tg.spawn_named::<(), _>("u32", async { std::panic::panic_any(42u32) })?;
            tg.spawn_named::<(), _>("struct", async { std::panic::panic_any(Code(3)) })?;
            tg.spawn_named::<(), _>("str", async { panic!("expected str panic") })?;
            tg.spawn_named::<(), _>("string", async {
                std::panic::panic_any(String::from("expected String panic"))
            })?;
            tg.spawn_named("err", async { Err::<(), _>(Code(1)) })?;
            Ok(())
        })
        .await
        .unwrap_err();
    let mut seen: Vec<(String, String)> = err
        .iter()
        .map(|f| (f.name().to_string(), f.error().to_string()))
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        [
            ("err".to_string(), "Code(1)".to_string()),
            ("str".into(), "panicked: expected str panic".into()),
            ("string".into(), "panicked: expected String panic".into()),
            ("struct".into(), format!("panicked: {NON_STRING}")),
            ("u32".into(), format!("panicked: {NON_STRING}")),
        ]
    );

    // Fail-fast: the non-string panic is the failure that cancels the rest.
    let t = Tracker::new();
    let guard = t.guard();
    let err = taskgroup::scope(|tg| async move {
        tg.spawn_named("later", async move {
            let _guard = guard;
            tokio::time::sleep(ms(20)).await;
            Err::<(), _>(Code(2))
        })?;
        tg.spawn_named::<(), _>("u32", async {
            tokio::time::sleep(ms(10)).await;
            std::panic::panic_any(42u32)
        })?;
        Ok(())
    })
    .await
    .unwrap_err();
    assert_eq!(err.len(), 1, "{err:?}");
    assert_eq!(err.first().name(), "u32");
    assert_eq!(panics(&err), [NON_STRING]);
    assert_eq!(t.live.load(SeqCst), 0);
}

#[tokio::test(start_paused = true)]
async fn a_panic_in_drop_while_the_child_completes_is_its_failure() {
    quiet_panics();
    for non_string in [false, true] {
        let t = Tracker::new();
        let guard = t.guard();
        let err = taskgroup::scope(|tg| async move {
            let h = tg.spawn_named("cleanup", async move {
                let _state = PanicsOnDrop {
                    message: "expected panic in drop on completion",
                    non_string,
                };
                Ok::<_, Code>(5)
            })?;
            tg.spawn_named("sibling", async move {
                let _guard = guard;
                tokio::time::sleep(ms(10)).await;
                Ok(())
            })?;
            // The value never arrives: the child failed while finishing.
            assert!(h.await.is_err());
            Ok(())
        })
        .await
        .unwrap_err();
        assert_eq!(err.len(), 1, "{err:?}");
        assert_eq!(err.first().name(), "cleanup");
        let msg = if non_string {
            NON_STRING
        } else {
            "expected panic in drop on completion"
        };
        assert_eq!(panics(&err), [msg]);
        // Fail-fast: the sibling was cancelled and dropped.
        assert_eq!(t.live.load(SeqCst), 0);
    }
}

/// A child's `Err` whose state then panics in `Drop`: one failure, the panic
/// (as in Python, where an exception raised in `finally` replaces the one
/// in flight). Not a double report.
#[tokio::test(start_paused = true)]
async fn an_err_followed_by_a_panic_in_drop_is_reported_once() {
    quiet_panics();
    let err = taskgroup::scope(|tg| async move {
        tg.spawn_named("both", async move {
            let _state = PanicsOnDrop {
                message: "expected panic in drop after Err",
                non_string: false,
            };
            Err::<(), _>(Code(4))
        })?;
        Ok(())
    })
    .await
    .unwrap_err();
    assert_eq!(err.len(), 1, "{err:?}");
    assert_eq!(panics(&err), ["expected panic in drop after Err"]);
}

#[derive(Debug, Clone, Copy)]
enum AbortBy {
    SiblingFailure,
    Handle,
    Cancel,
}

const PANIC_WHILE_ABORTED: &str = "expected panic in drop while aborted";

/// Runs a group whose child `stuck` panics (`PANIC_WHILE_ABORTED`, or a
/// non-string payload) when its future is dropped, and aborts it `by` the
/// given means once it runs; the group's error.
async fn abort_a_child_that_panics_when_dropped(
    by: AbortBy,
    non_string: bool,
    t: &Arc<Tracker>,
) -> ErrorGroup<Code> {
    let (guard, t2) = (t.guard(), Arc::clone(t));
    taskgroup::scope(|tg| async move {
        let t3 = Arc::clone(&t2);
        let stuck = tg.spawn_named("stuck", async move {
            let _state = PanicsOnDrop {
                message: PANIC_WHILE_ABORTED,
                non_string,
            };
            let _guard = guard;
            t3.reached();
            std::future::pending::<Result<(), Code>>().await
        })?;
        t2.all_reached(1).await;
        match by {
            AbortBy::SiblingFailure => {
                tg.spawn_named("failing", async { Err::<(), _>(Code(1)) })?;
            }
            AbortBy::Handle => stuck.abort(),
            AbortBy::Cancel => tg.cancel(),
        }
        Ok(())
    })
    .await
    .unwrap_err()
}

#[tokio::test(start_paused = true)]
async fn a_panic_in_drop_while_the_child_is_aborted_is_reported_with_the_other_failures() {
    quiet_panics();
    for by in [AbortBy::SiblingFailure, AbortBy::Handle, AbortBy::Cancel] {
        for non_string in [false, true] {
            let t = Tracker::new();
            let err = abort_a_child_that_panics_when_dropped(by, non_string, &t).await;
            let what = format!("{by:?}, non-string payload: {non_string}");
            let msg = if non_string {
                NON_STRING
            } else {
                PANIC_WHILE_ABORTED
            };
            // The panic is a failure; a sibling's failure that caused the
            // abort comes first.
            match by {
                AbortBy::SiblingFailure => {
                    assert_eq!(err.len(), 2, "{what}: {err:?}");
                    assert_eq!(err.first().name(), "failing", "{what}");
                }
                AbortBy::Handle | AbortBy::Cancel => assert_eq!(err.len(), 1, "{what}: {err:?}"),
            }
            assert_eq!(panics(&err), [msg], "{what}");
            assert_eq!(t.live.load(SeqCst), 0, "{what}");
        }
    }
}

/// Dropping the scope from outside: the aborted child's `Drop` panics on a
/// runtime thread after the scope is gone; tokio catches it. The process
/// goes on and the other children are still dropped.
#[tokio::test(start_paused = true)]
async fn a_panic_in_drop_after_an_outside_cancellation_does_not_abort_the_process() {
    quiet_panics();
    let t = Tracker::new();
    let (g1, g2, t2) = (t.guard(), t.guard(), Arc::clone(&t));
    let scope = Box::pin(taskgroup::scope(|tg| async move {
        let t3 = Arc::clone(&t2);
        tg.spawn_named("panics-in-drop", async move {
            let _state = PanicsOnDrop {
                message: "expected panic in drop after outside cancel",
                non_string: false,
            };
            let _g = g1;
            t3.reached();
            std::future::pending::<Result<(), Code>>().await
        })?;
        tg.spawn_named("quiet", async move {
            let _g = g2;
            t2.reached();
            std::future::pending::<Result<(), Code>>().await
        })?;
        std::future::pending::<()>().await;
        Ok(())
    }));
    let mut scope = scope;
    tokio::select! {
        biased;
        _ = &mut scope => unreachable!(),
        () = t.all_reached(2) => {}
    }
    drop(scope);
    assert!(t.all_dropped().await);
}

#[tokio::test(start_paused = true)]
async fn panics_and_failures_while_the_group_is_already_cancelling_are_all_reported() {
    quiet_panics();
    let t = Tracker::new();
    let (gb, gc, gd, t2) = (t.guard(), t.guard(), t.guard(), Arc::clone(&t));
    let started = tokio::time::Instant::now();
    let err = Builder::new()
        .grace_period(ms(1000))
        .scope(|tg| async move {
            let token = tg.token();
            let (tb, tc) = (token.clone(), token.clone());
            tg.spawn_named::<(), _>("b-panics-in-cleanup", async move {
                let _g = gb;
                tb.cancelled().await;
                tokio::time::sleep(ms(10)).await;
                panic!("expected panic during cleanup");
            })?;
            tg.spawn_named("c-fails-in-cleanup", async move {
                let _g = gc;
                tc.cancelled().await;
                tokio::time::sleep(ms(20)).await;
                Err::<(), _>(Code(3))
            })?;
            let t3 = Arc::clone(&t2);
            tg.spawn_named("d-ignores-token", async move {
                let _state = PanicsOnDrop {
                    message: "expected panic in drop at the end of the grace period",
                    non_string: true,
                };
                let _g = gd;
                t3.reached();
                std::future::pending::<Result<(), Code>>().await
            })?;
            t2.all_reached(1).await;
            tg.spawn_named("a-fails-first", async { Err::<(), _>(Code(1)) })?;
            Ok(())
        })
        .await
        .unwrap_err();
    let seen: Vec<String> = err.iter().map(|f| format!("{}", f.error())).collect();
    assert_eq!(
        seen,
        [
            "Code(1)".to_string(),
            "panicked: expected panic during cleanup".into(),
            "Code(3)".into(),
            format!("panicked: {NON_STRING}"),
        ],
        "{err:?}"
    );
    assert_eq!(err.first().name(), "a-fails-first");
    // `d` was aborted when the grace period ended, not before.
    assert_eq!(started.elapsed(), ms(1000));
    assert_eq!(t.live.load(SeqCst), 0);
}

/// The body's state panics in `Drop` while the body is cancelled by a
/// child's failure: the children are still cancelled and awaited, then the
/// body's panic resumes (a body panic is the caller's bug, not a failure).
#[tokio::test(start_paused = true)]
async fn a_panic_in_the_body_while_it_is_cancelled_resumes_after_the_children_ended() {
    quiet_panics();
    let t = Tracker::new();
    let (g, t2) = (t.guard(), Arc::clone(&t));
    let outcome = AssertUnwindSafe(taskgroup::scope(|tg| async move {
        let _state = PanicsOnDrop {
            message: "expected panic in the body's drop",
            non_string: false,
        };
        let t3 = Arc::clone(&t2);
        tg.spawn_named("sleeper", async move {
            let _g = g;
            t3.reached();
            tokio::time::sleep(Duration::from_secs(3600)).await;
            Ok(())
        })?;
        t2.all_reached(1).await;
        tg.spawn_named("failing", async { Err::<(), _>(Code(1)) })?;
        std::future::pending::<()>().await;
        Ok(())
    }))
    .catch_unwind()
    .await;
    let payload = outcome.expect_err("the body's panic resumes");
    assert_eq!(
        payload.downcast_ref::<String>().map(String::as_str),
        Some("expected panic in the body's drop")
    );
    assert_eq!(
        t.live.load(SeqCst),
        0,
        "children ended before the panic resumed"
    );
}

/// A nested group cancelled by its parent: a grandchild's `Drop` panics.
/// Captured (the process goes on), the parent's own failure is intact, and
/// the parent still waits for the grandchild. The grandchild's panic belongs
/// to the cancelled nested group, which reports nothing once dropped.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panic_in_a_grandchilds_drop_during_cancellation_loses_no_other_failure() {
    quiet_panics();
    for _ in 0..50 {
        let t = Tracker::new();
        let (g, t2) = (t.guard(), Arc::clone(&t));
        let err = taskgroup::scope(|tg| async move {
            let t3 = Arc::clone(&t2);
            tg.spawn_nested(async move {
                taskgroup::scope(|inner| async move {
                    inner.spawn_named("grandchild", async move {
                        let _state = PanicsOnDrop {
                            message: "expected panic in a grandchild's drop",
                            non_string: false,
                        };
                        let _g = g;
                        t3.reached();
                        std::future::pending::<Result<(), Code>>().await
                    })?;
                    Ok(())
                })
                .await
            })?;
            t2.all_reached(1).await;
            tg.spawn_named("failing", async { Err::<(), _>(Code(1)) })?;
            Ok(())
        })
        .await
        .unwrap_err();
        assert_eq!(err.len(), 1, "{err:?}");
        assert_eq!(err.first().name(), "failing");
        assert_eq!(
            t.live.load(SeqCst),
            0,
            "the scope waited for the grandchild"
        );
    }
}

// ------------------------------------------------- a child stuck in blocking

/// See the module docs: the abort of a child stuck in a blocking call takes
/// effect at its next `.await`; the scope waits for it, and the slow-poll
/// detector names it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
// Blocks on purpose: what the test is about.
#[taskgroup::allow_blocking]
async fn blocking_child_delays_the_scope_until_it_yields_and_is_reported() {
    let logs = common::global_warnings();
    let after_block = Arc::new(AtomicBool::new(false));
    let after_await = Arc::new(AtomicBool::new(false));
    let (a, b) = (Arc::clone(&after_block), Arc::clone(&after_await));
    let mut failed_at = None;
    let err = Builder::new()
        .slow_poll(Some(ms(100)))
        .scope(|tg| {
            let failed_at = &mut failed_at;
            async move {
                let (started_tx, started_rx) = tokio::sync::oneshot::channel();
                let (token, group) = (tg.token(), tg.clone());
                tg.spawn_named("blocking-child", async move {
                    let _ = started_tx.send(());
                    // Blocks its worker until the group has started
                    // cancelling; taking the group's lock (`is_closed`) then
                    // proves the abort was requested during this poll.
                    while !token.is_cancelled() {
                        std::thread::sleep(ms(1));
                    }
                    assert!(group.is_closed());
                    // The blocking call under test, with the abort pending.
                    std::thread::sleep(ms(300));
                    a.store(true, SeqCst);
                    // The first `.await` after it: the abort takes effect here.
                    tokio::task::yield_now().await;
                    b.store(true, SeqCst);
                    Ok(())
                })?;
                // Runs on the test's thread, not on the blocked worker.
                let _ = started_rx.await;
                *failed_at = Some(std::time::Instant::now());
                Err::<(), _>(Code(9).into())
            }
        })
        .await
        .unwrap_err();
    let waited = failed_at.unwrap().elapsed();
    assert_eq!(err.len(), 1, "{err:?}");
    assert_eq!(err.first().name(), "body");
    assert!(
        after_block.load(SeqCst),
        "the code up to the next .await ran"
    );
    assert!(
        !after_await.load(SeqCst),
        "nothing ran after the next .await"
    );
    assert!(waited >= ms(300), "the scope returned after {waited:?}");
    let logs = logs.text();
    assert!(
        logs.contains("task `blocking-child` held its worker thread"),
        "{logs}"
    );
}

/// A child drops an `as_completed` stream with futures still running (it
/// only wanted the first result): the stream aborts them, and the scope
/// still waits for them to be dropped before it returns.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn futures_of_a_dropped_as_completed_stream_end_before_the_scope() {
    for _ in 0..50 {
        let t = Tracker::new();
        let t2 = Arc::clone(&t);
        taskgroup::scope(|tg| async move {
            tg.spawn_named("first-of-many", async move {
                let futures = (0..4).map(|i| {
                    let (guard, t3) = (t2.guard(), Arc::clone(&t2));
                    async move {
                        let _guard = guard;
                        if i == 0 {
                            return Ok::<_, Code>(i);
                        }
                        t3.reached();
                        std::future::pending().await
                    }
                });
                let mut stream = taskgroup::as_completed(futures);
                let (index, first) = stream.next().await.unwrap();
                assert_eq!((index, first.unwrap()), (0, 0));
                t2.all_reached(3).await;
                drop(stream);
                Ok::<_, Code>(())
            })?;
            Ok::<_, ErrorGroup<Code>>(())
        })
        .await
        .unwrap();
        assert_eq!(
            t.live.load(SeqCst),
            0,
            "the stream's futures outlived the scope"
        );
    }
}

/// Many nested groups cancelled at once by a sibling's failure, while the
/// scope reaps a burst of finishing siblings: every grandchild is dropped
/// before the scope returns.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nested_groups_cancelled_in_a_burst_are_all_waited_for() {
    for _ in 0..20 {
        let t = Tracker::new();
        let t2 = Arc::clone(&t);
        let err = taskgroup::scope(|tg| async move {
            let go = tokio_util::sync::CancellationToken::new();
            for _ in 0..20 {
                let (g, t3) = (t2.guard(), Arc::clone(&t2));
                tg.spawn_nested(async move {
                    taskgroup::scope(|inner| async move {
                        inner.spawn_named("grandchild", async move {
                            let _g = g;
                            t3.reached();
                            std::future::pending::<Result<(), Code>>().await
                        })?;
                        Ok(())
                    })
                    .await
                })?;
            }
            for i in 0..200 {
                let go = go.clone();
                tg.spawn(async move {
                    go.cancelled().await;
                    if i == 0 { Err(Code(1)) } else { Ok(()) }
                })?;
            }
            t2.all_reached(20).await;
            go.cancel();
            Ok(())
        })
        .await
        .unwrap_err();
        assert_eq!(err.len(), 1, "{err:?}");
        assert_eq!(t.live.load(SeqCst), 0, "a grandchild outlived the scope");
    }
}

/// A panic while an aborted child's future is dropped is that child's
/// failure, under its name: aborted by a sibling's failure, by its handle,
/// by `cancel()`, or never started because its `limit(n)` turn came after
/// the group closed. Children are plain tokio tasks, so the child's own
/// destructor reports it (tokio would only give the task id).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panic_while_an_aborted_child_is_dropped_is_reported_under_its_name() {
    quiet_panics();
    for by in [AbortBy::SiblingFailure, AbortBy::Handle, AbortBy::Cancel] {
        let t = Tracker::new();
        let err = abort_a_child_that_panics_when_dropped(by, false, &t).await;
        let panicked: Vec<_> = err
            .iter()
            .filter(|f| matches!(f.error(), TaskError::Panicked(_)))
            .map(|f| f.name().to_string())
            .collect();
        assert_eq!(panicked, ["stuck"], "{by:?}: {err:?}");
        assert_eq!(t.live.load(SeqCst), 0, "{by:?}");
    }
}

/// Queued behind a failing child in a `limit(1)` group: never started, its
/// future is dropped when its turn comes (or when it is aborted), and the
/// panic in that drop is named after it. (Current-thread: no child runs
/// before the body has spawned both.)
#[tokio::test]
async fn a_panic_while_a_queued_child_that_never_started_is_dropped_is_named() {
    quiet_panics();
    let err = Builder::new()
        .limit(1)
        .scope(|tg| async move {
            tg.spawn_named("first", async { Err::<(), _>(Code(1)) })?;
            let state = PanicsOnDrop {
                message: "expected panic in drop of a child that never started",
                non_string: false,
            };
            tg.spawn_named("queued", async move {
                let _state = state;
                Ok::<_, Code>(())
            })?;
            Ok(())
        })
        .await
        .unwrap_err();
    let tasks: Vec<_> = err.iter().map(|f| f.name().to_string()).collect();
    assert_eq!(tasks, ["first", "queued"], "{err:?}");
    assert_eq!(
        panics(&err),
        ["expected panic in drop of a child that never started"]
    );
}

/// A nested group dropped inside a child that then succeeds: its aborted
/// child is still mid-poll on the other worker, and the enclosing scope
/// (which otherwise succeeds) returns only once it has been dropped.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
// Blocks on purpose: what the test is about.
#[taskgroup::allow_blocking]
async fn a_dropped_nested_groups_children_are_awaited_by_the_enclosing_scope() {
    for _ in 0..5 {
        let t = Tracker::new();
        let t2 = Arc::clone(&t);
        taskgroup::scope(|tg| async move {
            tg.spawn(async move {
                let (g, t3) = (t2.guard(), Arc::clone(&t2));
                let inner = taskgroup::scope(|inner| async move {
                    inner.spawn_named("busy", async move {
                        let _g = g;
                        loop {
                            t3.reached();
                            // Holds its worker: the abort waits for this poll.
                            std::thread::sleep(Duration::from_millis(20));
                            tokio::task::yield_now().await;
                        }
                        #[allow(unreachable_code)]
                        Ok::<(), Code>(())
                    })?;
                    std::future::pending::<()>().await;
                    Ok(())
                });
                let mut inner = std::pin::pin!(inner);
                tokio::select! {
                    _ = &mut inner => unreachable!(),
                    () = t2.all_reached(2) => {}
                }
                // `inner` is dropped here, its child aborted mid-poll.
                Ok::<_, Code>(())
            })?;
            Ok::<_, ErrorGroup<Code>>(())
        })
        .await
        .unwrap();
        assert_eq!(t.live.load(SeqCst), 0, "a grandchild outlived the scope");
    }
}

/// A group whose runtime was shut down while its scope still runs (the
/// scope's future moved to another runtime): tokio drops a child spawned
/// then at once, inside `spawn`. A panic in that drop is the child's
/// failure, recorded in the group; `spawn` must not hold the group's lock
/// meanwhile (it used to: a deadlock).
#[test]
fn a_child_dropped_at_once_by_a_shut_down_runtime_is_recorded_without_deadlock() {
    quiet_panics();
    let (done_tx, done_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let first = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let mut scope = Box::pin(taskgroup::scope(|tg| async move {
            tokio::task::yield_now().await;
            let state = PanicsOnDrop {
                message: "expected panic in drop of a child never run",
                non_string: false,
            };
            let late = tg.spawn_named("late", async move {
                let _state = state;
                Ok::<_, Code>(())
            })?;
            assert!(late.await.is_err(), "the child never ran");
            Ok(())
        }));
        first.block_on(async {
            assert!(futures::poll!(scope.as_mut()).is_pending());
        });
        drop(first);
        let second = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let _ = done_tx.send(second.block_on(scope));
    });
    let err = done_rx
        .recv_timeout(Duration::from_secs(30))
        .expect("the scope returned (no deadlock)")
        .unwrap_err();
    assert_eq!(err.first().name(), "late", "{err:?}");
    assert_eq!(
        panics(&err),
        ["expected panic in drop of a child never run"]
    );
}
