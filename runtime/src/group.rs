//! `TaskGroup`, `scope` and `TaskHandle`: the structured-concurrency core.
//!
//! One mutex-guarded state per group, in the spirit of CPython's
//! `taskgroups.py`: a phase and the failures seen so far. Children are plain
//! tokio tasks: a child's value travels in its own `JoinHandle` (held by its
//! [`TaskHandle`]), a failing child records its failure in the group itself,
//! and each child's destructor (run when it completes and when it is
//! aborted) counts it out of the group's live children, waking the scope at
//! zero. So the scope is not woken once per child, and a child that
//! succeeds never takes the group's lock.

use std::any::Any;
use std::future::{Future, Pending, poll_fn};
use std::marker::PhantomData;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::pin::{Pin, pin};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker, ready};

use futures_util::FutureExt as _;
use futures_util::task::AtomicWaker;
use std::time::Duration;

use tokio::runtime::Handle;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::task::{AbortHandle, JoinHandle, JoinSet};
use tokio::time::{Instant, Sleep, sleep, sleep_until};
use tokio_util::sync::CancellationToken;

use crate::error::{
    BODY_NAME, Cancelled, ErrorGroup, Failure, ORPHAN_NAME, SpawnError, SpawnErrorKind, TaskError,
    TaskName,
};
use crate::gather::Signal;
use crate::observe::{default_slow_poll, next_group_id, spawn_observed};
use crate::panic::{drop_caught, panic_message};

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
    shared: Arc<Shared<E>>,
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
            .field("children", &self.shared.live.load(Ordering::Relaxed))
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

/// What a group's children share with it.
struct Shared<E> {
    state: Mutex<State<E>>,
    /// Children spawned and not yet dropped. Raised under the lock by
    /// `spawn`, lowered without it by each child's destructor.
    live: AtomicUsize,
    /// The scope's task: woken when `live` reaches zero, at a failure, and by
    /// a `cancel()` from elsewhere (to arm the grace timer). Once the scope
    /// is dropped, whoever waits for its aborted children (see
    /// [`LiveChildren`]).
    waker: AtomicWaker,
    /// Set when the group starts closing: a `limit(n)` child whose turn
    /// comes after that never starts.
    closing: AtomicBool,
    /// Shown in the children's tracing spans.
    id: u64,
    // Never changed after the group is made, so read without the lock.
    config: Config,
    /// Admission for `limit(n)`: fair, so waiting children start in spawn order.
    slots: Option<Arc<Semaphore>>,
    /// Children are spawned here, so `spawn` also works from threads outside
    /// the runtime (a `std::thread` holding a clone of the handle).
    runtime: Handle,
    /// Aborted children of nested groups that were dropped inside this
    /// group's children: the scope waits for them too (see [`Orphans`]).
    orphans: Arc<Orphans>,
}

struct State<E> {
    phase: Phase,
    /// For abort-all. Finished children's handles are swept out when the
    /// list reaches `sweep_at`, so it stays within twice the live children.
    tasks: Vec<AbortHandle>,
    sweep_at: usize,
    /// Abort-all has run (or the group was dropped): a child listed after
    /// it is aborted at once.
    aborted: bool,
    failures: Vec<Failure<E>>,
    next_seq: u64,
    /// Seen by children first when the group ends early (graceful cancel).
    /// Created when first asked for, or at the shutdown: most groups never
    /// need one, and it is an allocation.
    token: Option<CancellationToken>,
    /// Set by a failure, the deadline or `cancel()`: the scope drops the
    /// body at its next await.
    cancel_body: bool,
    /// When the grace period after a cancellation ends and children are aborted.
    abort_at: Option<Instant>,
    /// A child's failure closed the group: the scope aborts the others when
    /// it next runs (see [`Shared::close`]).
    abort_pending: bool,
}

/// The smallest `sweep_at`: below it, sweeping costs more than it frees.
const MIN_SWEEP: usize = 64;

impl<E> State<E> {
    fn token(&mut self) -> &CancellationToken {
        self.token.get_or_insert_with(CancellationToken::new)
    }

    fn abort_all(&mut self) {
        self.aborted = true;
        for task in self.tasks.drain(..) {
            task.abort();
        }
    }

    /// Drops the handles of finished children (which keep their tasks'
    /// memory), amortised: the list has doubled since the last sweep.
    fn sweep(&mut self) {
        self.tasks.retain(|task| !task.is_finished());
        self.sweep_at = (self.tasks.len() * 2).max(MIN_SWEEP);
    }
}

impl<E> Shared<E> {
    /// Starts cancelling: new spawns are refused, children see the token, and
    /// are aborted now or when the grace period ends.
    fn shut_down(&self, st: &mut State<E>) {
        self.close(st, true);
    }

    /// [`shut_down`](Self::shut_down), for a child's failure: the others are
    /// aborted by the scope when it next runs, not by the failing child, as
    /// when the scope reaped children. So siblings already woken to fail at
    /// the same moment (the same timer, the same token) still run and are
    /// reported too.
    fn close(&self, st: &mut State<E>, abort_now: bool) {
        if st.phase != Phase::Running {
            return;
        }
        st.phase = Phase::ShuttingDown;
        self.closing.store(true, Ordering::SeqCst);
        st.token().cancel();
        match self.config.grace {
            Some(grace) if self.live.load(Ordering::SeqCst) > 0 => {
                // A grace period past the clock's range never ends: the
                // children are only ever asked, through the token.
                st.abort_at = Instant::now().checked_add(grace);
                self.waker.wake();
            }
            _ if abort_now => st.abort_all(),
            _ => st.abort_pending = true,
        }
    }

    /// A child's failures (several for a nested group's): collected, and
    /// unless in supervisor mode, the group and its body are cancelled.
    fn record(&self, failures: Vec<Failure<E>>) {
        let mut st = lock(&self.state);
        for failure in &failures {
            tracing::debug!(group = self.id, task = %failure.task(), kind = failure.error().kind_name(), "child failed");
        }
        st.failures.extend(failures);
        if !self.config.supervisor {
            st.cancel_body = true;
            self.close(&mut st, false);
            drop(st);
            // The scope cancels the body and aborts the children.
            self.waker.wake();
        }
    }

    /// A child was dropped: the last one wakes the scope.
    fn child_ended(&self) {
        if self.live.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.waker.wake();
        }
    }
}

fn lock<E>(state: &Mutex<State<E>>) -> MutexGuard<'_, State<E>> {
    // No user code runs under the lock, so a poisoned lock still holds a
    // consistent state.
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The failure of a child that returned `Err(error)`.
fn failed<E>(name: TaskName, error: E) -> Vec<Failure<E>> {
    vec![Failure::new(name, TaskError::Failed(error))]
}

/// The admission step of a child without a `limit`: never built.
type NoTurn = Pending<Option<()>>;

impl<E: Send + 'static> TaskGroup<E> {
    fn new(config: Config) -> Self {
        let slots = config.limit.map(|n| Arc::new(Semaphore::new(n)));
        TaskGroup {
            shared: Arc::new(Shared {
                state: Mutex::new(State {
                    phase: Phase::Running,
                    tasks: Vec::new(),
                    sweep_at: MIN_SWEEP,
                    aborted: false,
                    failures: Vec::new(),
                    next_seq: 0,
                    token: None,
                    cancel_body: false,
                    abort_at: None,
                    abort_pending: false,
                }),
                live: AtomicUsize::new(0),
                waker: AtomicWaker::new(),
                closing: AtomicBool::new(false),
                id: next_group_id(),
                config,
                slots,
                runtime: Handle::current(),
                orphans: Arc::default(),
            }),
        }
    }

    /// Starts `future` as a child of this group, named `task-N`.
    ///
    /// An `Err` or a panic of the child cancels the whole group and is
    /// reported in its [`ErrorGroup`]. Refused with [`SpawnError`] once the
    /// group is shutting down or finished; the future is then dropped unpolled.
    ///
    /// On a multi-thread runtime a sibling can fail at any moment, so any
    /// `spawn` may be refused: propagate the refusal with `?` (the scope
    /// reports the sibling's failure, not the refusal), never with
    /// `.unwrap()` or `.expect()`, which would panic the body.
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
        self.start(None, future, failed)
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
        self.start(Some(name), future, failed)
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
        self.start(None, future, |name, group: ErrorGroup<E>| {
            group.nested_under(&name)
        })
    }

    /// Spawns a child as a tokio task of its own.
    ///
    /// The child future is kept small, as it sets the tokio task's size and
    /// so the memory per pending child: without a limit there is no
    /// admission step, and `on_err` is a closure, not a stored function
    /// pointer.
    fn start<T, Err, F, OnErr>(
        &self,
        name: Option<TaskName>,
        future: F,
        on_err: OnErr,
    ) -> Result<TaskHandle<T, E>, SpawnError<E>>
    where
        F: Future<Output = Result<T, Err>> + Send + 'static,
        T: Send + 'static,
        Err: Send + 'static,
        OnErr: FnOnce(TaskName, Err) -> Vec<Failure<E>> + Send + 'static,
    {
        let shared = &self.shared;
        let mut st = lock(&shared.state);
        match st.phase {
            Phase::Running => {}
            Phase::ShuttingDown => return Err(SpawnError::new(SpawnErrorKind::ShuttingDown)),
            Phase::Finished => return Err(SpawnError::new(SpawnErrorKind::Finished)),
        }
        let name = name.unwrap_or_else(|| TaskName::seq(st.next_seq));
        st.next_seq += 1;
        if st.tasks.len() >= st.sweep_at {
            st.sweep();
        }
        // Counted in under the lock, so the scope cannot finish before the
        // child is listed below.
        shared.live.fetch_add(1, Ordering::Relaxed);
        // The `limit(n)` queue place, taken in the order of the names.
        let turn = shared
            .slots
            .as_ref()
            .map(|slots| take_turn(Arc::clone(slots)));
        drop(st);
        // Spawned without the lock: on a runtime that is shutting down, tokio
        // drops the child at once, and a panic in that drop is recorded in
        // the group, which takes the lock.
        let group = Arc::clone(shared);
        let task = match turn {
            None => shared.spawn(
                Child::new(None::<NoTurn>, future, on_err, name.clone(), group),
                &name,
            ),
            Some(turn) => shared.spawn(
                Child::new(Some(turn), future, on_err, name.clone(), group),
                &name,
            ),
        };
        let mut st = lock(&shared.state);
        if st.aborted {
            // The group was cancelled in between: as if it had been listed.
            task.abort();
        } else {
            st.tasks.push(task.abort_handle());
        }
        drop(st);
        Ok(TaskHandle {
            task,
            name,
            _group: PhantomData,
        })
    }
}

impl<E: Send + 'static> Shared<E> {
    /// Spawns a child on the group's runtime, under the name it is known by.
    fn spawn<F>(&self, child: F, name: &TaskName) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        // A nested group dropped inside this child hands its aborted children
        // to this group through the task-local (see `Orphans`).
        let child = ORPHANS.scope(Arc::clone(&self.orphans), child);
        spawn_observed(&self.runtime, child, self.id, name, self.config.slow_poll)
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
    /// A child's run: its `limit(n)` turn, its future with its panic caught,
    /// its failure recorded in the group; its value is the task's output.
    ///
    /// One struct rather than combinators around the future: the name is
    /// kept once, for a failure and for a panic while the aborted child is
    /// dropped (reported here, under the name). The child's size is the
    /// tokio task's size, so the memory per pending child.
    struct Child<A, S, F, OnErr, E> {
        #[pin]
        turn: Option<A>,
        // Released after the child's failure is recorded, so a failure
        // closes the group before a queued sibling can take the slot.
        slot: Option<S>,
        #[pin]
        future: Option<F>,
        on_err: Option<OnErr>,
        name: TaskName,
        group: Arc<Shared<E>>,
    }

    impl<A, S, F, OnErr, E> PinnedDrop for Child<A, S, F, OnErr, E> {
        fn drop(this: Pin<&mut Self>) {
            let this = this.project();
            if this.future.is_some() {
                // Aborted (or the runtime is shutting down).
                tracing::debug!(group = this.group.id, task = %this.name, "child cancelled");
                drop_unfinished(this.future, this.name, this.group);
            }
            // Last: the scope may return once every child got here, so what
            // the future's destructors did (a nested group handing over its
            // children) is seen by then.
            this.group.child_ended();
        }
    }
}

impl<A, S, F, OnErr, E> Child<A, S, F, OnErr, E> {
    fn new(
        turn: Option<A>,
        future: F,
        on_err: OnErr,
        name: TaskName,
        group: Arc<Shared<E>>,
    ) -> Self {
        Child {
            turn,
            slot: None,
            future: Some(future),
            on_err: Some(on_err),
            name,
            group,
        }
    }
}

/// Drops a child's future that did not finish, a panic in its destructors
/// (cleanup failing on cancellation) being the child's failure.
fn drop_unfinished<F, E>(mut future: Pin<&mut Option<F>>, name: &TaskName, group: &Shared<E>) {
    if let Err(payload) = catch_unwind(AssertUnwindSafe(|| future.set(None))) {
        let message = panic_message(&*payload);
        group.record(vec![Failure::new(
            name.clone(),
            TaskError::Panicked(message),
        )]);
    }
}

impl<A, S, F, OnErr, T, Err, E> Future for Child<A, S, F, OnErr, E>
where
    A: Future<Output = Option<S>>,
    F: Future<Output = Result<T, Err>>,
    OnErr: FnOnce(TaskName, Err) -> Vec<Failure<E>>,
{
    /// `None` when the child failed or never started.
    type Output = Option<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let mut this = self.project();
        if let Some(turn) = this.turn.as_mut().as_pin_mut() {
            // Waiting here, not in `spawn`, keeps `spawn` non-blocking.
            let slot = ready!(turn.poll(cx));
            this.turn.set(None);
            *this.slot = slot;
            if this.group.closing.load(Ordering::SeqCst) {
                // Its turn came after the group started closing: it never
                // starts, a cancellation.
                drop_unfinished(this.future, this.name, this.group);
                return Poll::Ready(None);
            }
        }
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
        let failures = match (polled, dropped) {
            (Ok(Ok(value)), Ok(())) => return Poll::Ready(Some(value)),
            (Ok(Err(err)), Ok(())) => match this.on_err.take() {
                Some(on_err) => on_err(this.name.clone(), err),
                None => return Poll::Pending,
            },
            (Err(payload), _) | (Ok(_), Err(payload)) => vec![Failure::new(
                this.name.clone(),
                TaskError::Panicked(panic_message(&*payload)),
            )],
        };
        this.group.record(failures);
        Poll::Ready(None)
    }
}

impl<E: 'static> TaskGroup<E> {
    fn lock(&self) -> MutexGuard<'_, State<E>> {
        lock(&self.shared.state)
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

    /// Ends the group early without a failure, as Python 3.15's
    /// `TaskGroup.cancel()`: children are cancelled (after the grace period,
    /// if one is set), new spawns are refused, and the body is dropped at its
    /// next await. Callable from the body, a child or anywhere else holding a
    /// clone; the scope then returns promptly, whatever the body awaits.
    ///
    /// What the scope returns: the body's value if the body returned before
    /// the scope next polled it (it called `cancel()` and returned without
    /// awaiting); otherwise an [`ErrorGroup`] for which
    /// [`is_cancelled`](ErrorGroup::is_cancelled) is true, a cancellation
    /// rather than a failure. Children's failures, if any happened, are
    /// reported as always.
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
    ///
    /// // Cancelled from a child while the body still waits: a cancellation.
    /// let outcome = taskgroup::scope(|tg| async move {
    ///     let group = tg.clone();
    ///     tg.spawn(async move {
    ///         group.cancel();
    ///         Ok::<_, ()>(())
    ///     })?;
    ///     std::future::pending::<()>().await;
    ///     Ok(())
    /// })
    /// .await;
    /// assert!(outcome.unwrap_err().is_cancelled());
    /// # }
    /// ```
    pub fn cancel(&self) {
        let mut st = self.lock();
        if st.phase != Phase::Running {
            return;
        }
        st.cancel_body = true;
        self.shared.shut_down(&mut st);
        drop(st);
        // The scope drops the body, whatever it is waiting for.
        self.shared.waker.wake();
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
    /// The child's task: `None` when it failed or never started.
    task: JoinHandle<Option<T>>,
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
        self.task.abort();
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
        self.task.is_finished()
    }
}

impl<T, E> Future for TaskHandle<T, E> {
    type Output = Result<T, Cancelled<E>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // A join error is a cancellation: the child's own panics are caught.
        match ready!(Pin::new(&mut self.task).poll(cx)) {
            Ok(Some(value)) => Poll::Ready(Ok(value)),
            Ok(None) | Err(_) => Poll::Ready(Err(Cancelled::new(self.name.clone()))),
        }
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
/// When the scope returns, every child's future has been dropped: its
/// destructors have run, with those of everything it owned (nested groups
/// and their children included). Two steps of the runtime's own may come a
/// moment later, on the worker that ran the child: marking its task
/// complete (so [`TaskHandle::is_finished`] may still be `false`), and
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
    /// start as running ones finish. `spawn` never blocks.
    ///
    /// # Panics
    ///
    /// If `n` is 0: no child could ever start. (`#[task_group(limit = 0)]`
    /// and `gather!(limit = 0; ..)` are compile errors.)
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
    #[track_caller]
    pub fn limit(mut self, n: usize) -> Self {
        assert!(
            n > 0,
            "Builder::limit(0): no child could ever start; give a limit of at least 1, or no limit"
        );
        self.config.limit = Some(n);
        self
    }

    /// A deadline for the whole group, counted from its start: when it passes,
    /// every child and the body are cancelled and the [`ErrorGroup`] holds a
    /// [`TaskError::TimedOut`] member named `deadline`. A deadline too far
    /// for the clock (`Duration::MAX`) never passes.
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
    /// they are aborted. Without it they are aborted at once. A grace
    /// period too long for the clock (`Duration::MAX`) never ends: children
    /// are never aborted, only asked through the token.
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
        // Run as the group's children are, so what the body drops (a nested
        // group, an `as_completed` stream) hands its tasks to this scope.
        let body = ORPHANS.scope(Arc::clone(&group.shared.orphans), body(group.clone()));
        let body = AssertUnwindSafe(body).catch_unwind();
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
                    let failed = !matches!(end, Ok(Ok(_)));
                    body_end = Some(match end {
                        Ok(returned) => BodyEnd::Returned(returned),
                        Err(payload) => BodyEnd::Panicked(payload),
                    });
                    if failed {
                        let mut st = group.lock();
                        st.cancel_body = true;
                        shared.shut_down(&mut st);
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
                        TaskName::named("deadline"),
                        TaskError::TimedOut(after),
                    ));
                }
                st.cancel_body = true;
                shared.shut_down(&mut st);
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
                    shared.shut_down(&mut st);
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
    // Without failures the body can only have been cancelled, which the
    // public API cannot do yet: reported as a cancellation, never a panic.
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
            shared.closing.store(true, Ordering::SeqCst);
            std::mem::take(&mut st.tasks)
        };
        for task in &tasks {
            task.abort();
        }
        drop(tasks);
        // Aborted tasks are dropped when the runtime next runs them, after
        // this returns. Inside a child of another group (a nested group), that
        // group waits for them before it returns; otherwise nobody can.
        let enclosing = ORPHANS.try_with(Arc::clone).ok();
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
                sets: Mutex::default(),
                any: AtomicBool::default(),
                sink: Mutex::default(),
                signal: Some(signal),
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

    /// Ready once every handed-over task has ended (see [`Orphans::poll_drain`]).
    pub(crate) fn poll_drain(&self, cx: &mut Context<'_>, panics: &mut Vec<String>) -> Poll<()> {
        self.orphans.poll_drain(cx, panics)
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
/// dropped nested group hands "wait until none of my children is live"
/// ([`LiveChildren`]) to the group it runs in, whose scope waits for it;
/// grandchildren of those are handed on the same way (a dropped group
/// forwards to its enclosing one). Aborted task sets and tasks owned
/// outside a group (`as_completed`, `gather!`) are handed over as well.
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

impl Drop for Orphans {
    fn drop(&mut self) {
        // Unlinks the forwarding chain one registry at a time: dropping the
        // last pointer to a long chain would otherwise recurse once per link.
        let mut next = forward_of(&mut self.sink);
        while let Some(registry) = next {
            next = match Arc::try_unwrap(registry) {
                Ok(mut registry) => forward_of(&mut registry.sink),
                Err(_) => None,
            };
        }
    }
}

/// Takes the enclosing registry out of a sink that forwards to one.
fn forward_of(sink: &mut Mutex<Sink>) -> Option<Arc<Orphans>> {
    match std::mem::take(sink.get_mut().unwrap_or_else(PoisonError::into_inner)) {
        Sink::Forward(enclosing) => Some(enclosing),
        Sink::Own | Sink::Gone => None,
    }
}

/// Tasks a dropped owner handed over, waited for by a scope or a gather.
trait Drain: Send {
    /// Ready once every task has ended. Their outcomes are dropped (the
    /// owner that wanted them is gone); a panic in that drop is pushed to
    /// `panics`.
    fn poll_drain(&mut self, cx: &mut Context<'_>, panics: &mut Vec<String>) -> Poll<()>;
}

impl<T: Send + 'static> Drain for JoinSet<T> {
    fn poll_drain(&mut self, cx: &mut Context<'_>, panics: &mut Vec<String>) -> Poll<()> {
        while let Some(outcome) = ready!(self.poll_join_next(cx)) {
            panics.extend(drop_caught(outcome));
        }
        Poll::Ready(())
    }
}

impl<T: Send + 'static> Drain for tokio::task::JoinHandle<T> {
    fn poll_drain(&mut self, cx: &mut Context<'_>, panics: &mut Vec<String>) -> Poll<()> {
        let outcome = ready!(Pin::new(self).poll(cx));
        panics.extend(drop_caught(outcome));
        Poll::Ready(())
    }
}

impl Orphans {
    /// Hands `set` to the first registry up the chain of dropped groups
    /// whose scope still waits. A loop, not recursion: a chain of nested
    /// groups can be as deep as the program likes.
    fn push(self: &Arc<Self>, set: Box<dyn Drain>) {
        let mut registry = Arc::clone(self);
        loop {
            let next = {
                let sink = registry.sink.lock().unwrap_or_else(PoisonError::into_inner);
                match &*sink {
                    Sink::Own => {
                        let mut sets = registry.sets.lock().unwrap_or_else(PoisonError::into_inner);
                        sets.push(set);
                        registry.any.store(true, Ordering::Release);
                        return;
                    }
                    Sink::Forward(enclosing) => Arc::clone(enclosing),
                    Sink::Gone => break,
                }
            };
            registry = next;
        }
        drop(set);
    }

    /// Where this registry's hand-overs end up: itself while its scope
    /// waits, else the end of its forwarding chain (`None`: nobody waits).
    fn destination(self: &Arc<Self>) -> Option<Arc<Orphans>> {
        let mut registry = Arc::clone(self);
        loop {
            let next = match &*registry.sink.lock().unwrap_or_else(PoisonError::into_inner) {
                Sink::Own => None,
                Sink::Forward(enclosing) => Some(Arc::clone(enclosing)),
                Sink::Gone => return None,
            };
            match next {
                Some(next) => registry = next,
                None => return Some(registry),
            }
        }
    }

    /// The group was dropped: what it waited for goes to `enclosing`.
    /// Forwarded straight to the end of `enclosing`'s chain, so chains of
    /// dropped groups stay one link long however deep the nesting.
    fn hand_over(&self, enclosing: Option<&Arc<Orphans>>) {
        let enclosing = enclosing.and_then(Orphans::destination);
        let enclosing = enclosing.as_ref();
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

    /// Ready once every handed-over child has been dropped; the messages of
    /// panics while dropping their outcomes are pushed to `panics`.
    fn poll_drain(&self, cx: &mut Context<'_>, panics: &mut Vec<String>) -> Poll<()> {
        if !self.any.load(Ordering::Acquire) {
            return Poll::Ready(());
        }
        let mut sets = self.sets.lock().unwrap_or_else(PoisonError::into_inner);
        sets.retain_mut(|set| set.poll_drain(cx, panics).is_pending());
        if sets.is_empty() {
            self.any.store(false, Ordering::Relaxed);
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The abort handles of finished children are swept, so a long-running
    /// group spawning many short children keeps a list within about twice
    /// its live children, not one handle per child ever spawned.
    #[tokio::test]
    async fn finished_childrens_handles_do_not_pile_up() {
        scope(|tg| async move {
            let mut most = 0;
            for i in 0..10_000u32 {
                tg.spawn(async move { Ok::<_, ()>(i) })?;
                if i % 100 == 99 {
                    // At most a hundred children live at once.
                    while tg.shared.live.load(Ordering::SeqCst) > 0 {
                        tokio::task::yield_now().await;
                    }
                }
                most = most.max(tg.lock().tasks.len());
            }
            assert!(most <= 3 * 100 + MIN_SWEEP, "{most} handles kept");
            Ok::<_, ErrorGroup<()>>(())
        })
        .await
        .unwrap();
    }
}
