//! `TaskGroup`, `scope` and `TaskHandle`: the structured-concurrency core.
//!
//! One mutex-guarded state per group, in the spirit of CPython's
//! `taskgroups.py`: a phase, the children (a tokio `JoinSet`), and the failures
//! seen so far. Children are reaped both by the scope's join loop and on every
//! spawn, so finished children never pile up while a body spawns in a loop.

use std::any::Any;
use std::future::{Future, poll_fn};
use std::marker::PhantomData;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::pin::{Pin, pin};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker, ready};

use futures_util::FutureExt as _;
use std::time::Duration;

use tokio::runtime::Handle;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, oneshot};
use tokio::task::{AbortHandle, JoinError, JoinSet};
use tokio::time::{Instant, Sleep, sleep, sleep_until};
use tokio_util::sync::CancellationToken;

use crate::error::{
    BODY_NAME, Cancelled, ErrorGroup, Failure, SpawnError, SpawnErrorKind, TaskError, TaskName,
    panic_message,
};
use crate::gather::Signal;
use crate::observe::{default_slow_poll, next_group_id, spawn_child};

/// A handle to a running task group, passed to the body of [`scope`].
///
/// Cheap to clone and `Send`, so children can spawn siblings into their own
/// group, as asyncio tasks call `tg.create_task`.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// let total = taskgroup::scope(|tg| async move {
///     let a = tg.spawn(async { Ok::<_, std::io::Error>(1) })?;
///     let b = tg.spawn(async { Ok(2) })?;
///     Ok(a.await? + b.await?)
/// })
/// .await
/// .unwrap();
/// assert_eq!(total, 3);
/// # }
/// ```
pub struct TaskGroup<E> {
    shared: Arc<Mutex<State<E>>>,
}

impl<E> Clone for TaskGroup<E> {
    fn clone(&self) -> Self {
        TaskGroup {
            shared: Arc::clone(&self.shared),
        }
    }
}

impl<E: 'static> std::fmt::Debug for TaskGroup<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let st = self.lock();
        f.debug_struct("TaskGroup")
            .field("phase", &st.phase)
            .field("children", &st.children.len())
            .field("failures", &st.failures.len())
            .finish()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Accepting children.
    Running,
    /// A failure happened: children are being cancelled, spawns are refused.
    ShuttingDown,
    /// Body and children are done, or the scope was dropped.
    Finished,
}

/// How a child ended, as the group sees it. The value goes to its handle.
enum Exit<E> {
    Succeeded,
    Failed(Failure<E>),
    /// A child that ran a nested group: its leaves, already renamed.
    FailedNested(Vec<Failure<E>>),
    /// A child queued by `limit(n)` that found the group closing when its
    /// turn came, so it never started: a cancellation.
    NotStarted,
}

impl<E> Exit<E> {
    /// A child that returned `Err(error)`.
    fn failed(name: TaskName, error: E) -> Self {
        Exit::Failed(Failure::new(name, TaskError::Failed(error)))
    }
}

/// A child's exit, with its `limit(n)` slot: released only once the group
/// has seen the exit, so a failure closes the group before a queued sibling
/// can take the slot and start.
type ChildOutput<E> = (Exit<E>, Option<OwnedSemaphorePermit>);

struct State<E> {
    /// Shown in the children's tracing spans.
    id: u64,
    phase: Phase,
    children: JoinSet<ChildOutput<E>>,
    failures: Vec<Failure<E>>,
    next_seq: u64,
    config: Config,
    /// Seen by children first when the group ends early (graceful cancel).
    /// Created when first asked for, or at the shutdown: most groups never
    /// need one, and it is an allocation.
    token: Option<CancellationToken>,
    /// Set by a failure or the deadline: the body is cancelled too.
    failed: bool,
    /// When the grace period after a cancellation ends and children are aborted.
    abort_at: Option<Instant>,
    /// Admission for `limit(n)`: fair, so waiting children start in spawn order.
    slots: Option<Arc<Semaphore>>,
    /// The task running the scope, woken by a `cancel()` from elsewhere so it
    /// arms the grace timer.
    scope_waker: Option<Waker>,
    /// Children are spawned here, so `spawn` also works from threads outside
    /// the runtime (a `std::thread` holding a clone of the handle).
    runtime: Handle,
    /// Aborted children of nested groups that were dropped inside this
    /// group's children: the scope waits for them too (see [`Orphans`]).
    orphans: Arc<Orphans>,
}

impl<E: Send + 'static> State<E> {
    fn on_exit(&mut self, result: Result<ChildOutput<E>, JoinError>) {
        // The slot (if any) is freed when this returns, after a failure has
        // closed the group.
        let (exit, _slot) = match result {
            Ok((exit, slot)) => (Ok(exit), slot),
            Err(err) => (Err(err), None),
        };
        let failures = match exit {
            Ok(Exit::Succeeded | Exit::NotStarted) => return,
            Ok(Exit::Failed(failure)) => vec![failure],
            Ok(Exit::FailedNested(failures)) => failures,
            Err(err) if err.is_cancelled() => {
                tracing::debug!(group = self.id, tokio_id = %err.id(), "child cancelled");
                return;
            }
            // The wrapper catches panics of the child's future, so this is a
            // panic while tokio dropped an aborted child.
            Err(err) => vec![PanicInAbortedChild::into_failure(err)],
        };
        for failure in &failures {
            tracing::debug!(group = self.id, task = %failure.task(), kind = failure.error().kind_name(), "child failed");
        }
        self.failures.extend(failures);
        if !self.config.supervisor {
            self.failed = true;
            self.shut_down();
        }
    }

    /// Collects children that have already finished, without waiting.
    fn reap(&mut self) {
        while let Some(result) = self.children.try_join_next() {
            self.on_exit(result);
        }
    }

    /// Spawns a child future into the `JoinSet`, under the name it is known by.
    fn spawn_child<F>(&mut self, child: F, name: &TaskName) -> AbortHandle
    where
        F: Future<Output = ChildOutput<E>> + Send + 'static,
    {
        // A nested group dropped inside this child hands its aborted children
        // to this group through the task-local (see `Orphans`).
        let child = ORPHANS.scope(Arc::clone(&self.orphans), child);
        spawn_child(
            &mut self.children,
            &self.runtime,
            child,
            self.id,
            name,
            self.config.slow_poll,
        )
    }
}

impl<E: 'static> State<E> {
    fn token(&mut self) -> &CancellationToken {
        self.token.get_or_insert_with(CancellationToken::new)
    }

    /// Starts cancelling: new spawns are refused, children see the token, and
    /// are aborted now or when the grace period ends.
    fn shut_down(&mut self) {
        if self.phase != Phase::Running {
            return;
        }
        self.phase = Phase::ShuttingDown;
        self.token().cancel();
        match self.config.grace {
            Some(grace) if !self.children.is_empty() => {
                self.abort_at = Some(Instant::now() + grace);
                if let Some(waker) = &self.scope_waker {
                    waker.wake_by_ref();
                }
            }
            _ => self.children.abort_all(),
        }
    }
}

fn lock<E>(shared: &Mutex<State<E>>) -> MutexGuard<'_, State<E>> {
    // No user code runs under the lock, so a poisoned lock still holds a
    // consistent state.
    shared.lock().unwrap_or_else(PoisonError::into_inner)
}

impl<E: Send + 'static> TaskGroup<E> {
    fn new(config: Config) -> Self {
        let slots = config.limit.map(|n| Arc::new(Semaphore::new(n)));
        TaskGroup {
            shared: Arc::new(Mutex::new(State {
                id: next_group_id(),
                phase: Phase::Running,
                children: JoinSet::new(),
                failures: Vec::new(),
                next_seq: 0,
                config,
                token: None,
                failed: false,
                abort_at: None,
                slots,
                scope_waker: None,
                runtime: Handle::current(),
                orphans: Arc::default(),
            })),
        }
    }

    /// Starts `future` as a child of this group, named `task-N`.
    ///
    /// An `Err` or a panic of the child cancels the whole group and is
    /// reported in its [`ErrorGroup`]. Refused with [`SpawnError`] once the
    /// group is shutting down or finished; the future is then dropped unpolled.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let result = taskgroup::scope(|tg| async move {
    ///     tg.spawn(async { Err::<(), _>("no route to host") })?;
    ///     tg.spawn(std::future::pending::<Result<(), _>>())?; // cancelled
    ///     Ok(())
    /// })
    /// .await;
    /// assert_eq!(result.unwrap_err().len(), 1);
    /// # }
    /// ```
    pub fn spawn<T, F>(&self, future: F) -> Result<TaskHandle<T, E>, SpawnError<E>>
    where
        F: Future<Output = Result<T, E>> + Send + 'static,
        T: Send + 'static,
    {
        self.start(None, future, Exit::failed)
    }

    /// Like [`spawn`](Self::spawn), with a name for errors and tracing.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let err = taskgroup::scope(|tg| async move {
    ///     tg.spawn_named("db", async { Err::<(), _>("timeout") })?;
    ///     Ok(())
    /// })
    /// .await
    /// .unwrap_err();
    /// assert_eq!(err.to_string(), "1 task failed:\n  task `db` failed: timeout");
    /// # }
    /// ```
    pub fn spawn_named<T, F>(
        &self,
        name: impl Into<Arc<str>>,
        future: F,
    ) -> Result<TaskHandle<T, E>, SpawnError<E>>
    where
        F: Future<Output = Result<T, E>> + Send + 'static,
        T: Send + 'static,
    {
        let name = TaskName::named(name);
        self.start(Some(name), future, Exit::failed)
    }

    /// Starts a child that runs a group of its own (a nested [`scope`] or a
    /// `#[task_group]` fn): its failures are flattened into this group's,
    /// each named `child/inner`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let err = taskgroup::scope(|outer| async move {
    ///     outer.spawn_nested(taskgroup::scope(|inner| async move {
    ///         inner.spawn_named("leaf", async { Err::<(), _>("bad") })?;
    ///         Ok(())
    ///     }))?;
    ///     Ok(())
    /// })
    /// .await
    /// .unwrap_err();
    /// assert_eq!(err.first().task(), "task-0/leaf");
    /// # }
    /// ```
    pub fn spawn_nested<T, F>(&self, future: F) -> Result<TaskHandle<T, E>, SpawnError<E>>
    where
        F: Future<Output = Result<T, ErrorGroup<E>>> + Send + 'static,
        T: Send + 'static,
    {
        self.start(None, future, |name, group| {
            Exit::FailedNested(group.nested_under(&name))
        })
    }

    fn start<T, Err, F>(
        &self,
        name: Option<TaskName>,
        future: F,
        on_err: impl FnOnce(TaskName, Err) -> Exit<E> + Send + 'static,
    ) -> Result<TaskHandle<T, E>, SpawnError<E>>
    where
        F: Future<Output = Result<T, Err>> + Send + 'static,
        T: Send + 'static,
        Err: Send + 'static,
    {
        let (value_tx, value_rx) = oneshot::channel();
        let deliver = move |value| {
            let _ = value_tx.send(value);
        };
        let (abort, name) = self.start_with(name, future, on_err, deliver)?;
        Ok(TaskHandle {
            value: value_rx,
            abort,
            name,
            _group: PhantomData,
        })
    }

    /// Spawns a child into the group's `JoinSet`.
    ///
    /// The child future is kept small, as it sets the tokio task's size and
    /// so the memory per pending child: without a limit there is no
    /// admission step, and `on_err`/`deliver` are closures, not stored
    /// function pointers.
    fn start_with<T, Err, F>(
        &self,
        name: Option<TaskName>,
        future: F,
        on_err: impl FnOnce(TaskName, Err) -> Exit<E> + Send + 'static,
        deliver: impl FnOnce(T) + Send + 'static,
    ) -> Result<(AbortHandle, TaskName), SpawnError<E>>
    where
        F: Future<Output = Result<T, Err>> + Send + 'static,
        T: Send + 'static,
        Err: Send + 'static,
    {
        let mut st = lock(&self.shared);
        match st.phase {
            Phase::Running => {}
            Phase::ShuttingDown => return Err(SpawnError::new(SpawnErrorKind::ShuttingDown)),
            Phase::Finished => return Err(SpawnError::new(SpawnErrorKind::Finished)),
        }
        st.reap();
        if st.phase != Phase::Running {
            return Err(SpawnError::new(SpawnErrorKind::ShuttingDown));
        }
        let name = name.unwrap_or_else(|| TaskName::seq(st.next_seq));
        st.next_seq += 1;
        let body = Child::new(
            future,
            name.clone(),
            move |result: Result<T, Err>, name: &TaskName| match result {
                Ok(value) => {
                    deliver(value);
                    Exit::Succeeded
                }
                Err(err) => on_err(name.clone(), err),
            },
        );
        let st = &mut *st;
        let Some(slots) = st.slots.clone() else {
            let child = body.map(|exit| (exit, None));
            return Ok((st.spawn_child(child, &name), name));
        };
        let turn = take_turn(slots);
        let closing = st.token().clone();
        let child = async move {
            // Waiting here, not in `spawn`, keeps `spawn` non-blocking.
            let slot = turn.await;
            if closing.is_cancelled() {
                return (Exit::NotStarted, slot);
            }
            (body.await, slot)
        };
        Ok((st.spawn_child(child, &name), name))
    }
}

/// A place in a `limit(n)` queue, taken now, in spawn order, rather than when
/// the scheduler first runs the child: the semaphore is fair to the order of
/// first polls, and a later poll with the child's own waker takes over.
/// Resolves to the slot, held until the child is done.
pub(crate) fn take_turn(
    slots: Arc<Semaphore>,
) -> impl Future<Output = Option<OwnedSemaphorePermit>> + Send + 'static {
    let mut turn = Box::pin(slots.acquire_owned());
    let now = turn.as_mut().poll(&mut Context::from_waker(Waker::noop()));
    async move {
        match now {
            Poll::Ready(slot) => slot.ok(),
            Poll::Pending => turn.await.ok(),
        }
    }
}

pin_project_lite::pin_project! {
    /// A child's run: its future, its panic caught, its value delivered or
    /// its failure turned into an [`Exit`] for the group by `finish`.
    ///
    /// One struct rather than combinators around the future: the name is
    /// kept once, for a failure and for a panic while tokio drops the aborted
    /// child (tokio reports that with only the task id, so the panic is
    /// raised again tagged with the name, cheaper than a map from ids to
    /// names). The child's size is the tokio task's size, so the memory per
    /// pending child.
    struct Child<F, Finish> {
        #[pin]
        future: Option<F>,
        name: TaskName,
        finish: Option<Finish>,
    }

    impl<F, Finish> PinnedDrop for Child<F, Finish> {
        fn drop(this: Pin<&mut Self>) {
            let mut this = this.project();
            if this.future.is_none() {
                return;
            }
            if let Err(payload) = catch_unwind(AssertUnwindSafe(|| this.future.set(None))) {
                resume_unwind(Box::new(PanicInAbortedChild {
                    task: this.name.clone(),
                    message: panic_message(&*payload),
                }));
            }
        }
    }
}

impl<F, Finish> Child<F, Finish> {
    fn new(future: F, name: TaskName, finish: Finish) -> Self {
        Child {
            future: Some(future),
            name,
            finish: Some(finish),
        }
    }
}

impl<T, Err, E, F, Finish> Future for Child<F, Finish>
where
    F: Future<Output = Result<T, Err>>,
    Finish: FnOnce(Result<T, Err>, &TaskName) -> Exit<E>,
{
    type Output = Exit<E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Exit<E>> {
        let mut this = self.project();
        let Some(future) = this.future.as_mut().as_pin_mut() else {
            return Poll::Pending; // never polled again after it is done
        };
        let polled = match catch_unwind(AssertUnwindSafe(|| future.poll(cx))) {
            Ok(Poll::Pending) => return Poll::Pending,
            Ok(Poll::Ready(result)) => Ok(result),
            Err(payload) => Err(payload),
        };
        // Dropped now, inside `catch_unwind`: a panic in its destructor is
        // this child's panic too.
        let dropped = catch_unwind(AssertUnwindSafe(|| this.future.set(None)));
        let Some(finish) = this.finish.take() else {
            return Poll::Pending;
        };
        Poll::Ready(match (polled, dropped) {
            (Ok(result), Ok(())) => finish(result, this.name),
            (Err(payload), _) | (Ok(_), Err(payload)) => Exit::Failed(Failure::new(
                this.name.clone(),
                TaskError::Panicked(panic_message(&*payload)),
            )),
        })
    }
}

impl<E: 'static> TaskGroup<E> {
    fn lock(&self) -> MutexGuard<'_, State<E>> {
        lock(&self.shared)
    }

    /// Whether the group has stopped taking children: it is cancelling after
    /// a failure, or it has finished.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// taskgroup::scope(|tg| async move {
    ///     assert!(!tg.is_closed());
    ///     Ok::<_, taskgroup::ErrorGroup<()>>(())
    /// })
    /// .await
    /// .unwrap();
    /// # }
    /// ```
    pub fn is_closed(&self) -> bool {
        self.lock().phase != Phase::Running
    }

    /// Ends the group early without a failure (Python 3.15's
    /// `TaskGroup.cancel()`): children are cancelled (after the grace period,
    /// if one is set) and new spawns are refused. The body is *not*
    /// interrupted: it sees [`is_closed`](Self::is_closed) or the
    /// [`token`](Self::token), and the scope returns the body's value.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let first = taskgroup::scope(|tg| async move {
    ///     let (tx, mut rx) = tokio::sync::mpsc::channel(2);
    ///     for mirror in ["eu", "us"] {
    ///         let tx = tx.clone();
    ///         tg.spawn(async move {
    ///             tx.send(mirror).await.ok();
    ///             std::future::pending::<()>().await;
    ///             Ok::<_, ()>(())
    ///         })?;
    ///     }
    ///     let winner = rx.recv().await;
    ///     tg.cancel(); // the other mirror is no longer needed
    ///     Ok(winner)
    /// })
    /// .await
    /// .unwrap();
    /// assert_eq!(first, Some("eu"));
    /// # }
    /// ```
    pub fn cancel(&self) {
        self.lock().shut_down();
    }

    /// The group's cancellation token: cancelled as soon as the group starts
    /// ending early (a failure, the deadline or [`cancel`](Self::cancel)),
    /// before children are aborted, so a child can finish cleanly within the
    /// grace period set by [`Builder::grace_period`].
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// use std::time::Duration;
    ///
    /// let err = taskgroup::Builder::new()
    ///     .grace_period(Duration::from_secs(1))
    ///     .scope(|tg| async move {
    ///         let token = tg.token();
    ///         tg.spawn_named("writer", async move {
    ///             token.cancelled().await;
    ///             // flush buffers here, within the grace period
    ///             Ok::<_, &str>(())
    ///         })?;
    ///         tg.spawn_named("reader", async { Err::<(), _>("eof") })?;
    ///         Ok(())
    ///     })
    ///     .await
    ///     .unwrap_err();
    /// assert_eq!(err.first().task(), "reader");
    /// # }
    /// ```
    pub fn token(&self) -> CancellationToken {
        self.lock().token().clone()
    }
}

/// A handle to one child of a group.
///
/// Awaiting it gives the child's value, or [`Cancelled`] when the child was
/// aborted or failed (the failure itself goes to the group's [`ErrorGroup`],
/// once). Dropping the handle does not cancel the child: the group owns it.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// taskgroup::scope(|tg| async move {
///     let handle = tg.spawn_named("answer", async { Ok::<_, ()>(42) })?;
///     assert_eq!(handle.name(), "answer");
///     assert_eq!(handle.await?, 42);
///     Ok(())
/// })
/// .await
/// .unwrap();
/// # }
/// ```
pub struct TaskHandle<T, E> {
    value: oneshot::Receiver<T>,
    abort: AbortHandle,
    name: TaskName,
    _group: PhantomData<fn() -> E>,
}

impl<T, E> std::fmt::Debug for TaskHandle<T, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TaskHandle")
            .field("name", &self.name)
            .finish()
    }
}

impl<T, E> TaskHandle<T, E> {
    /// Cancels this child alone. A cancellation, not a failure: the group and
    /// the child's siblings go on.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let value = taskgroup::scope(|tg| async move {
    ///     let stuck = tg.spawn(std::future::pending::<Result<(), ()>>())?;
    ///     stuck.abort();
    ///     assert!(stuck.await.is_err());
    ///     Ok("group still succeeds")
    /// })
    /// .await
    /// .unwrap();
    /// assert_eq!(value, "group still succeeds");
    /// # }
    /// ```
    pub fn abort(&self) {
        self.abort.abort();
    }

    /// The child's name: the one given to `spawn_named`, or `task-N`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// taskgroup::scope(|tg| async move {
    ///     assert_eq!(tg.spawn(async { Ok::<_, ()>(()) })?.name(), "task-0");
    ///     Ok::<_, taskgroup::ErrorGroup<()>>(())
    /// })
    /// .await
    /// .unwrap();
    /// # }
    /// ```
    pub fn name(&self) -> &TaskName {
        &self.name
    }

    /// Whether the child has ended (with a value, a failure or cancelled).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// taskgroup::scope(|tg| async move {
    ///     let h = tg.spawn(std::future::pending::<Result<(), ()>>())?;
    ///     assert!(!h.is_finished());
    ///     h.abort();
    ///     Ok::<_, taskgroup::ErrorGroup<()>>(())
    /// })
    /// .await
    /// .unwrap();
    /// # }
    /// ```
    pub fn is_finished(&self) -> bool {
        self.abort.is_finished()
    }
}

impl<T, E> Future for TaskHandle<T, E> {
    type Output = Result<T, Cancelled<E>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let value = ready!(Pin::new(&mut self.value).poll(cx));
        Poll::Ready(value.map_err(|_| Cancelled::new(self.name.clone())))
    }
}

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
/// assert_eq!(err.first().task(), "broken");
/// # }
/// ```
pub async fn scope<T, E, F, Fut>(body: F) -> Result<T, ErrorGroup<E>>
where
    F: FnOnce(TaskGroup<E>) -> Fut,
    Fut: Future<Output = Result<T, ErrorGroup<E>>>,
    E: Send + 'static,
{
    Builder::new().scope(body).await
}

/// The options of a group, set with [`Builder`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Config {
    pub(crate) supervisor: bool,
    pub(crate) limit: Option<usize>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) grace: Option<Duration>,
    pub(crate) slow_poll: Option<Duration>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            supervisor: false,
            limit: None,
            timeout: None,
            grace: None,
            slow_poll: default_slow_poll(),
        }
    }
}

/// Configures a task group beyond [`scope`]'s defaults: supervisor mode, a
/// concurrency limit, a deadline, and a grace period for cancellation.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// use std::time::Duration;
///
/// let sizes = taskgroup::Builder::new()
///     .limit(4)
///     .timeout(Duration::from_secs(30))
///     .gather_all((0..10).map(|i| async move { Ok::<_, std::io::Error>(i * 10) }))
///     .await
///     .unwrap();
/// assert_eq!(sizes[9], 90);
/// # }
/// ```
#[derive(Debug, Clone, Copy, Default)]
#[must_use = "a Builder does nothing until you call `scope` or a gather method"]
pub struct Builder {
    config: Config,
}

impl Builder {
    /// The defaults: fail-fast, no limit, no deadline, no grace period.
    ///
    /// ```
    /// let builder = taskgroup::Builder::new();
    /// # let _ = builder;
    /// ```
    pub fn new() -> Self {
        Builder::default()
    }

    pub(crate) fn config(&self) -> Config {
        self.config
    }

    /// Supervisor mode (Kotlin's `supervisorScope`): a child's failure does
    /// not cancel its siblings or the body. Every failure is still collected
    /// and returned in the [`ErrorGroup`] when the group ends.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let err = taskgroup::Builder::new()
    ///     .supervisor()
    ///     .scope(|tg| async move {
    ///         tg.spawn(async { Err::<(), _>("one replica down") })?;
    ///         let healthy = tg.spawn(async { Ok("ok") })?;
    ///         assert_eq!(healthy.await?, "ok"); // not cancelled
    ///         Ok(())
    ///     })
    ///     .await
    ///     .unwrap_err();
    /// assert_eq!(err.len(), 1);
    /// # }
    /// ```
    pub fn supervisor(mut self) -> Self {
        self.config.supervisor = true;
        self
    }

    /// At most `n` children run at once; the others wait, in spawn order, and
    /// start as running ones finish. `spawn` never blocks. `0` is taken as `1`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let pages = taskgroup::Builder::new()
    ///     .limit(2)
    ///     .gather_all((0..6).map(|page| async move { Ok::<_, ()>(page) }))
    ///     .await
    ///     .unwrap();
    /// assert_eq!(pages, [0, 1, 2, 3, 4, 5]);
    /// # }
    /// ```
    pub fn limit(mut self, n: usize) -> Self {
        self.config.limit = Some(n.max(1));
        self
    }

    /// A deadline for the whole group, counted from its start: when it passes,
    /// every child and the body are cancelled and the [`ErrorGroup`] holds a
    /// [`TaskError::TimedOut`] member named `deadline`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread", start_paused = true)] async fn main() {
    /// use std::time::Duration;
    ///
    /// let err = taskgroup::Builder::new()
    ///     .timeout(Duration::from_secs(5))
    ///     .scope(|tg| async move {
    ///         tg.spawn(async {
    ///             tokio::time::sleep(Duration::from_secs(60)).await;
    ///             Ok::<_, &str>(())
    ///         })?;
    ///         Ok(())
    ///     })
    ///     .await
    ///     .unwrap_err();
    /// assert_eq!(err.to_string(), "1 task failed:\n  task `deadline` timed out after 5s");
    /// # }
    /// ```
    pub fn timeout(mut self, after: Duration) -> Self {
        self.config.timeout = Some(after);
        self
    }

    /// When the group ends early, children first see its
    /// [`token`](TaskGroup::token) cancelled and get `grace` to finish before
    /// they are aborted. Without it they are aborted at once.
    ///
    /// See [`TaskGroup::token`] for an example.
    pub fn grace_period(mut self, grace: Duration) -> Self {
        self.config.grace = Some(grace);
        self
    }

    /// Warn (a `tracing` warning naming the task) when one poll of a child
    /// holds its worker thread for `threshold` or longer: a blocking call the
    /// compile-time check could not see, such as one inside another crate.
    /// `None` turns the detector off. The default, like asyncio's debug
    /// mode, is 100 ms in debug builds with the `slow-poll` feature (on by
    /// default), and off in release builds, where it costs two clock reads
    /// per poll (see BENCHMARKS.md) unless set here.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// use std::time::Duration;
    ///
    /// taskgroup::Builder::new()
    ///     .slow_poll_threshold(Some(Duration::from_millis(20)))
    ///     .scope(|tg| async move {
    ///         tg.spawn_named("parser", async { Ok::<_, ()>(()) })?;
    ///         Ok(())
    ///     })
    ///     .await
    ///     .unwrap();
    /// # }
    /// ```
    pub fn slow_poll_threshold(mut self, threshold: Option<Duration>) -> Self {
        self.config.slow_poll = threshold;
        self
    }

    /// Runs `body` with a group configured by this builder; otherwise as
    /// [`scope`].
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
    pub async fn scope<T, E, F, Fut>(self, body: F) -> Result<T, ErrorGroup<E>>
    where
        F: FnOnce(TaskGroup<E>) -> Fut,
        Fut: Future<Output = Result<T, ErrorGroup<E>>>,
        E: Send + 'static,
    {
        let group = TaskGroup::new(self.config);
        let _abort_on_drop = AbortOnDrop(Arc::clone(&group.shared));
        let body = AssertUnwindSafe(body(group.clone())).catch_unwind();
        run(group, self.config.timeout, body).await
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
                    let failed = !matches!(end, Ok(Ok(_)));
                    body_end = Some(match end {
                        Ok(returned) => BodyEnd::Returned(returned),
                        Err(payload) => BodyEnd::Panicked(payload),
                    });
                    if failed {
                        let mut st = group.lock();
                        st.failed = true;
                        st.shut_down();
                    }
                }
            }
            let mut st = group.lock();
            if !st
                .scope_waker
                .as_ref()
                .is_some_and(|w| w.will_wake(cx.waker()))
            {
                st.scope_waker = Some(cx.waker().clone());
            }
            if let Some(timer) = deadline.as_mut().as_pin_mut() {
                if timer.poll(cx).is_ready() {
                    deadline.set(None);
                    if let Some(after) = timeout {
                        st.failures.push(Failure::new(
                            TaskName::named("deadline"),
                            TaskError::TimedOut(after),
                        ));
                    }
                    st.failed = true;
                    st.shut_down();
                }
            }
            if let Some(at) = st.abort_at.take() {
                grace_end.set(Some(sleep_until(at)));
            }
            if let Some(timer) = grace_end.as_mut().as_pin_mut() {
                if timer.poll(cx).is_ready() {
                    grace_end.set(None);
                    st.children.abort_all();
                }
            }
            // Orphans are drained on every poll, not only at the end, so a
            // long-running group doesn't hold on to them. Children first: a
            // child hands its orphans over before it completes, so once it is
            // seen complete, its orphans are seen too (the other order could
            // miss a hand-over made in between).
            let children_done = poll_children(&mut st, cx).is_ready();
            let orphans_done = st.orphans.poll_drain(cx).is_ready();
            let children_done = children_done && orphans_done;
            let cancel_body = st.failed && body.is_some();
            if children_done && body.is_none() {
                st.phase = Phase::Finished;
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

/// Joins finished children until none is left (`Ready`) or none is ready.
fn poll_children<E: Send + 'static>(st: &mut State<E>, cx: &mut Context<'_>) -> Poll<()> {
    while let Some(result) = ready!(st.children.poll_join_next(cx)) {
        st.on_exit(result);
    }
    Poll::Ready(())
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
        Some(BodyEnd::Returned(Ok(_))) | None => {}
    }
    // Without failures the body can only have been cancelled, which the
    // public API cannot do yet: reported as a cancellation, never a panic.
    Err(ErrorGroup::from_failures(failures)
        .unwrap_or_else(|| ErrorGroup::from_task_error(BODY_NAME, TaskError::Cancelled)))
}

/// Aborts every child when the scope's future is dropped before it finished.
struct AbortOnDrop<E: Send + 'static>(Arc<Mutex<State<E>>>);

impl<E: Send + 'static> Drop for AbortOnDrop<E> {
    fn drop(&mut self) {
        let (mut children, orphans) = {
            let mut st = lock(&self.0);
            st.phase = Phase::Finished;
            (std::mem::take(&mut st.children), Arc::clone(&st.orphans))
        };
        children.abort_all();
        // Aborted tasks are dropped when the runtime next runs them, after
        // this returns. Inside a child of another group (a nested group), that
        // group waits for them before it returns; otherwise nobody can.
        // (Dropping a JoinSet runs user destructors of finished children's
        // outputs, so this is done outside the lock.)
        let enclosing = ORPHANS.try_with(Arc::clone).ok();
        orphans.hand_over(enclosing.as_ref());
        if let Some(enclosing) = enclosing {
            if !children.is_empty() {
                enclosing.push(Box::new(children));
            }
        }
    }
}

tokio::task_local! {
    /// The [`Orphans`] of the group whose child is running.
    static ORPHANS: Arc<Orphans>;
}

/// Aborts `set` and hands it to the group whose child is running, if any, so
/// that group's scope waits for its tasks too (see [`Orphans`]). For task
/// sets a child owns outside a nested group, such as an `as_completed` stream.
pub(crate) fn hand_over_to_enclosing<T: Send + 'static>(mut set: JoinSet<T>) {
    set.abort_all();
    if set.is_empty() {
        return;
    }
    if let Ok(enclosing) = ORPHANS.try_with(Arc::clone) {
        enclosing.push(Box::new(set));
    }
}

/// `future`, run so that groups dropped inside it hand their children to the
/// group whose child is running now (if any), as a child's own do.
pub(crate) fn in_enclosing_group<F: Future>(future: F) -> impl Future<Output = F::Output> {
    match ORPHANS.try_with(Arc::clone) {
        Ok(enclosing) => futures_util::future::Either::Left(ORPHANS.scope(enclosing, future)),
        Err(_) => futures_util::future::Either::Right(future),
    }
}

/// The orphan registry of a spawning `gather!`, which has no group: its
/// children run inside it, and the gather waits for what it collects.
pub(crate) struct OrphanScope {
    orphans: Arc<Orphans>,
    /// Cleared by [`ended`](Self::ended): nothing is left to hand over.
    live: bool,
}

impl OrphanScope {
    /// A registry whose children report their end to `signal`.
    pub(crate) fn new(signal: Signal) -> Self {
        OrphanScope {
            orphans: Arc::new(Orphans {
                signal: Some(signal),
                ..Orphans::default()
            }),
            live: true,
        }
    }

    pub(crate) fn signal(&self) -> &Signal {
        match &self.orphans.signal {
            Some(signal) => signal,
            None => unreachable!("an OrphanScope is made with a signal"),
        }
    }

    /// `child`, run so that groups dropped inside it hand their aborted
    /// children to this registry.
    pub(crate) fn run<F: Future>(&self, child: F) -> impl Future<Output = F::Output> + use<F> {
        ORPHANS.scope(Arc::clone(&self.orphans), child)
    }

    /// Ready once every handed-over task has ended.
    pub(crate) fn poll_drain(&self, cx: &mut Context<'_>) -> Poll<()> {
        self.orphans.poll_drain(cx)
    }

    /// Every child has ended and [`poll_drain`](Self::poll_drain) was ready:
    /// no task can be handed over any more, so dropping skips the hand-over.
    pub(crate) fn ended(mut self) {
        self.live = false;
    }
}

impl Drop for OrphanScope {
    fn drop(&mut self) {
        if self.live {
            // Dropped before its tasks ended: the enclosing group waits instead.
            let enclosing = ORPHANS.try_with(Arc::clone).ok();
            self.orphans.hand_over(enclosing.as_ref());
        }
    }
}

/// Tells the gather whose child is running (see [`OrphanScope::run`]) that
/// it has ended, in `failure` or not.
pub(crate) fn child_ended(failure: bool) {
    let _ = ORPHANS.try_with(|orphans| {
        if let Some(signal) = &orphans.signal {
            signal.ended(failure);
        }
    });
}

/// Aborts a task owned outside any `JoinSet` and hands it to the group whose
/// child is running, if any, so that group's scope waits for it to end.
pub(crate) fn hand_over_task<T: Send + 'static>(task: tokio::task::JoinHandle<T>) {
    task.abort();
    if let Ok(enclosing) = ORPHANS.try_with(Arc::clone) {
        enclosing.push(Box::new(task));
    }
}

/// Children of nested groups that were dropped (cancelled) while running
/// inside one of this group's children.
///
/// Found by the reliability tests: dropping a nested scope aborts its
/// children, but tokio drops an aborted task only when it next runs it (and a
/// task in the middle of a poll on another worker finishes that poll first).
/// So the enclosing scope, which only waited for its own child, could return
/// while its grandchildren were still running or not yet dropped. Now a
/// dropped nested group hands its aborted `JoinSet` to the group it runs in,
/// whose scope waits for it to drain; grandchildren of those hand theirs on
/// the same way (a dropped group forwards to its enclosing one).
#[derive(Default)]
struct Orphans {
    sets: Mutex<Vec<Box<dyn Drain>>>,
    /// Whether `sets` may be non-empty, so the scope, which drains after
    /// every child, skips the lock in groups that never get orphans (most).
    /// Set after a push: the push happens before the child that made it
    /// completes, so the scope sees it once it sees that child complete.
    any: AtomicBool,
    sink: Mutex<Sink>,
    /// For a gather's registry: how its children say they ended. Kept here
    /// so each child holds one shared pointer (the task-local's), not two.
    signal: Option<Signal>,
}

#[derive(Default)]
enum Sink {
    /// The group is running: its scope drains `sets`.
    #[default]
    Own,
    /// The group was dropped inside another group: hand on to it.
    Forward(Arc<Orphans>),
    /// A top-level group was dropped: no scope is left to wait.
    Gone,
}

trait Drain: Send {
    fn poll_drain(&mut self, cx: &mut Context<'_>) -> Poll<()>;
}

impl<T: Send + 'static> Drain for JoinSet<T> {
    fn poll_drain(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        // Results are dropped: the group they belonged to was cancelled.
        while ready!(self.poll_join_next(cx)).is_some() {}
        Poll::Ready(())
    }
}

impl<T: Send + 'static> Drain for tokio::task::JoinHandle<T> {
    fn poll_drain(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        Pin::new(self).poll(cx).map(drop)
    }
}

impl Orphans {
    fn push(&self, set: Box<dyn Drain>) {
        let sink = self.sink.lock().unwrap_or_else(PoisonError::into_inner);
        match &*sink {
            Sink::Own => {
                let mut sets = self.sets.lock().unwrap_or_else(PoisonError::into_inner);
                sets.push(set);
                self.any.store(true, Ordering::Release);
            }
            Sink::Forward(enclosing) => enclosing.push(set),
            Sink::Gone => drop(set),
        }
    }

    /// The group was dropped: what it waited for goes to `enclosing`.
    fn hand_over(&self, enclosing: Option<&Arc<Orphans>>) {
        let mut sink = self.sink.lock().unwrap_or_else(PoisonError::into_inner);
        *sink = enclosing.map_or(Sink::Gone, |e| Sink::Forward(Arc::clone(e)));
        let sets = {
            let mut sets = self.sets.lock().unwrap_or_else(PoisonError::into_inner);
            self.any.store(false, Ordering::Relaxed);
            std::mem::take(&mut *sets)
        };
        drop(sink);
        if let Some(enclosing) = enclosing {
            for set in sets {
                enclosing.push(set);
            }
        }
    }

    /// Ready once every handed-over child has been dropped.
    fn poll_drain(&self, cx: &mut Context<'_>) -> Poll<()> {
        if !self.any.load(Ordering::Acquire) {
            return Poll::Ready(());
        }
        let mut sets = self.sets.lock().unwrap_or_else(PoisonError::into_inner);
        sets.retain_mut(|set| set.poll_drain(cx).is_pending());
        if sets.is_empty() {
            self.any.store(false, Ordering::Relaxed);
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }
}

/// The panic payload of a [`Child`] dropped while aborted.
struct PanicInAbortedChild {
    task: TaskName,
    message: String,
}

impl PanicInAbortedChild {
    /// The failure a join error stands for: named when the payload is ours.
    fn into_failure<E>(err: JoinError) -> Failure<E> {
        let id = err.id();
        match err.try_into_panic() {
            Ok(payload) => match payload.downcast::<PanicInAbortedChild>() {
                Ok(panic) => Failure::new(panic.task, TaskError::Panicked(panic.message)),
                Err(payload) => Failure::new(
                    TaskName::named(format!("task with tokio id {id}")),
                    TaskError::Panicked(panic_message(&*payload)),
                ),
            },
            Err(_) => Failure::new(
                TaskName::named(format!("task with tokio id {id}")),
                TaskError::Panicked("the task ended abnormally".to_string()),
            ),
        }
    }
}
