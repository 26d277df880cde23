//! [`scope`] and [`Builder::scope`]: run a body with a group, drive the
//! group to its end (failures, deadline, grace period, orphans), and make
//! the result.

use std::any::Any;
use std::future::{Future, poll_fn};
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_util::FutureExt as _;
use tokio::time::{Sleep, sleep, sleep_until};

use super::{Abort, Opened, Phase, Shared, TaskGroup, lock};
use crate::builder::Builder;
use crate::error::{
    BODY_NAME, DEADLINE_NAME, ErrorGroup, Failure, ORPHAN_NAME, TaskError, TaskName,
};
use crate::orphans::{self, Drain};
use crate::panic::drop_caught;

/// Runs `body` with a fresh [`TaskGroup`] and returns once the body and every
/// child have ended (asyncio's `async with TaskGroup() as tg:`).
///
/// - `Ok(value)` when the body and all children succeed.
/// - The first failure (a child's `Err` or panic, or the body's `Err`) cancels
///   every other child and the body; the result is `Err(ErrorGroup)` with every
///   failure that happened, each once, the body's last. Cancelled children are
///   not failures.
/// - A panic of the body cancels the children, waits for them, then resumes.
/// - Dropping the returned future aborts every child.
///
/// When the scope returns, every child's future has been dropped: its
/// destructors have run, with those of everything it owned (nested groups
/// and their children included). Two steps of the runtime's own may come a
/// moment later, on the worker that ran the child: marking its task
/// complete (so [`TaskHandle::is_finished`](crate::TaskHandle::is_finished) may still be `false`), and
/// dropping the value of a child whose handle was dropped. Awaiting a handle
/// after the scope returned waits for nothing but that step.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// use std::time::Duration;
///
/// let err = taskgroup::scope(|tg| async move {
///     tg.spawn_named("slow", async {
///         tokio::time::sleep(Duration::from_secs(3600)).await;
///         Ok::<_, &str>(())
///     })?;
///     tg.spawn_named("broken", async { Err::<(), _>("connection reset") })?;
///     Ok(())
/// })
/// .await
/// .unwrap_err();
/// // `slow` was cancelled, not waited for an hour, and is not an error.
/// assert_eq!(err.len(), 1);
/// assert_eq!(err.first().name(), "broken");
/// # }
/// ```
#[track_caller]
pub fn scope<T, E, F, Fut>(body: F) -> impl Future<Output = Result<T, ErrorGroup<E>>>
where
    F: FnOnce(TaskGroup<E>) -> Fut,
    Fut: Future<Output = Result<T, ErrorGroup<E>>>,
    E: Send + 'static,
{
    Builder::new().scope(body)
}

impl Builder {
    /// Runs `body` with a group configured by this builder; otherwise as
    /// [`scope`].
    ///
    /// # Panics
    ///
    /// When first polled, if `stagger` is set: it is [`Builder::race_all`]'s.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let n = taskgroup::Builder::new()
    ///     .limit(8)
    ///     .scope(|tg| async move { Ok::<_, taskgroup::ErrorGroup<()>>(tg.spawn(async { Ok(8) })?.await?) })
    ///     .await
    ///     .unwrap();
    /// assert_eq!(n, 8);
    /// # }
    /// ```
    #[track_caller]
    pub fn scope<T, E, F, Fut>(self, body: F) -> impl Future<Output = Result<T, ErrorGroup<E>>>
    where
        F: FnOnce(TaskGroup<E>) -> Fut,
        Fut: Future<Output = Result<T, ErrorGroup<E>>>,
        E: Send + 'static,
    {
        let at = std::panic::Location::caller();
        async move {
            self.config().refuse_stagger("Builder::scope");
            // Made at the first poll, where it runs: a scope passed to
            // `spawn_nested` belongs to the child, not to the code that
            // spawned it (the task tree places it there).
            let opened = Opened {
                name: self.name,
                at,
            };
            let group = TaskGroup::new(self.config, opened);
            let _abort_on_drop = AbortOnDrop(Arc::clone(&group.shared));
            // Run as the group's children are, so what the body drops (a
            // nested group, an `as_completed` stream) hands its tasks to
            // this scope.
            let body = orphans::run_in(&group.shared.orphans, body(group.clone()));
            let body = AssertUnwindSafe(body).catch_unwind();
            run(group, self.config.timeout, body).await
        }
    }
}

enum BodyEnd<T, E> {
    Returned(Result<T, ErrorGroup<E>>),
    Panicked(Box<dyn Any + Send>),
}

async fn run<T, E, B>(
    group: TaskGroup<E>,
    timeout: Option<Duration>,
    body: B,
) -> Result<T, ErrorGroup<E>>
where
    B: Future<Output = Result<Result<T, ErrorGroup<E>>, Box<dyn Any + Send>>>,
    E: Send + 'static,
{
    let shared = &*group.shared;
    let mut body = pin!(Some(body));
    let mut body_end: Option<BodyEnd<T, E>> = None;
    let mut deadline = pin!(timeout.map(sleep));
    let mut grace_end = pin!(None::<Sleep>);
    poll_fn(|cx| {
        loop {
            if let Some(running) = body.as_mut().as_pin_mut() {
                // Polled without the lock held: the body spawns, which locks.
                if let Poll::Ready(end) = running.poll(cx) {
                    body.set(None);
                    #[cfg(feature = "tree")]
                    {
                        group.lock().body_done = true;
                    }
                    let failed = !matches!(end, Ok(Ok(_)));
                    body_end = Some(match end {
                        Ok(returned) => BodyEnd::Returned(returned),
                        Err(payload) => BodyEnd::Panicked(payload),
                    });
                    if failed {
                        let mut st = group.lock();
                        st.cancel_body = true;
                        shared.close(&mut st, Abort::Now);
                    }
                }
            }
            // Registered before anything is checked, so a child ending after
            // the check wakes this poll's task.
            shared.waker.register(cx.waker());
            let mut st = group.lock();
            if let Some(timer) = deadline.as_mut().as_pin_mut()
                && timer.poll(cx).is_ready()
            {
                deadline.set(None);
                if let Some(after) = timeout {
                    st.failures.push(Failure::new(
                        TaskName::named(DEADLINE_NAME),
                        TaskError::TimedOut(after),
                    ));
                }
                st.cancel_body = true;
                shared.close(&mut st, Abort::Now);
            }
            if std::mem::take(&mut st.abort_pending) {
                st.abort_all();
            }
            if let Some(at) = st.abort_at.take() {
                grace_end.set(Some(sleep_until(at)));
            }
            if let Some(timer) = grace_end.as_mut().as_pin_mut()
                && timer.poll(cx).is_ready()
            {
                grace_end.set(None);
                st.abort_all();
            }
            // Orphans are drained on every poll, not only at the end, so a
            // long-running group doesn't hold on to them. Children first: a
            // child hands its orphans over before it counts itself out, so
            // once none is live, their orphans are seen too (the other order
            // could miss a hand-over made in between). Read under the lock,
            // which `spawn` takes to count a child in.
            let children_done = shared.live.load(Ordering::SeqCst) == 0;
            let mut panics = Vec::new();
            let orphans_done = shared.orphans.poll_drain(cx, &mut panics).is_ready();
            if !panics.is_empty() {
                st.failures.extend(panics.into_iter().map(|message| {
                    Failure::new(TaskName::named(ORPHAN_NAME), TaskError::Panicked(message))
                }));
                if !shared.config.supervisor {
                    st.cancel_body = true;
                    shared.close(&mut st, Abort::Now);
                }
            }
            let children_done = children_done && orphans_done;
            let cancel_body = st.cancel_body && body.is_some();
            if children_done && body.is_none() {
                st.phase = Phase::Finished;
                // Every child has ended: none of these can abort anything.
                st.tasks = Vec::new();
                return Poll::Ready(());
            }
            drop(st);
            if !cancel_body {
                return Poll::Pending;
            }
            // Dropped outside the lock: its destructors may touch the group.
            // A panic in them (cleanup failing on cancellation, asyncio's
            // `finally: raise KeyboardInterrupt`) is a body panic: caught here
            // so the children are still cancelled and awaited before it resumes.
            if let Err(payload) = catch_unwind(AssertUnwindSafe(|| body.set(None))) {
                body_end = Some(BodyEnd::Panicked(payload));
            }
        }
    })
    .await;
    let failures = std::mem::take(&mut group.lock().failures);
    finish(failures, body_end)
}

/// The scope's result from the children's failures and how the body ended.
fn finish<T, E>(
    mut failures: Vec<Failure<E>>,
    body_end: Option<BodyEnd<T, E>>,
) -> Result<T, ErrorGroup<E>> {
    match body_end {
        Some(BodyEnd::Panicked(payload)) => resume_unwind(payload),
        Some(BodyEnd::Returned(Ok(value))) if failures.is_empty() => return Ok(value),
        Some(BodyEnd::Returned(Err(body_error))) => {
            // A body that propagated a cancelled handle or a refused spawn
            // only echoes the children's failures; keep it when alone.
            let had_failures = !failures.is_empty();
            failures.extend(
                body_error
                    .into_failures()
                    .into_iter()
                    .filter(|f| !(had_failures && f.error().is_cancelled())),
            );
        }
        Some(BodyEnd::Returned(Ok(value))) => {
            // Discarded for the children's failures; its destructor's panic
            // is one more.
            if let Some(message) = drop_caught(value) {
                failures.push(Failure::new(
                    TaskName::named(BODY_NAME),
                    TaskError::Panicked(message),
                ));
            }
        }
        None => {}
    }
    // Without failures the body was dropped by `cancel()`: a cancellation.
    Err(ErrorGroup::from_failures(failures)
        .unwrap_or_else(|| ErrorGroup::from_task_error(BODY_NAME, TaskError::Cancelled)))
}

/// Aborts every child when the scope's future is dropped before it finished.
struct AbortOnDrop<E: Send + 'static>(Arc<Shared<E>>);

impl<E: Send + 'static> Drop for AbortOnDrop<E> {
    fn drop(&mut self) {
        let shared = &self.0;
        let tasks = {
            let mut st = lock(&shared.state);
            st.phase = Phase::Finished;
            st.aborted = true;
            shared.closed.store(true, Ordering::SeqCst);
            std::mem::take(&mut st.tasks)
        };
        for listed in &tasks {
            listed.task.abort();
        }
        drop(tasks);
        // Aborted tasks are dropped when the runtime next runs them, after
        // this returns. Inside a child of another group (a nested group), that
        // group waits for them before it returns; otherwise nobody can.
        let enclosing = orphans::enclosing();
        shared.orphans.hand_over(enclosing.as_ref());
        if let Some(enclosing) = enclosing
            && shared.live.load(Ordering::SeqCst) > 0
        {
            enclosing.push(Box::new(LiveChildren(Arc::clone(shared))));
        }
    }
}

/// The children of a dropped group, waited for by the enclosing one: ready
/// once every one of them has been dropped.
struct LiveChildren<E>(Arc<Shared<E>>);

impl<E: Send + 'static> Drain for LiveChildren<E> {
    fn poll_drain(&mut self, cx: &mut Context<'_>, _: &mut Vec<String>) -> Poll<()> {
        // The group's scope is gone, so its waker slot is free for this.
        self.0.waker.register(cx.waker());
        if self.0.live.load(Ordering::SeqCst) == 0 {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }
}
