//! `TaskGroup`: a group's state machine and its spawn API.
//!
//! One mutex-guarded state per group, in the spirit of CPython's
//! `taskgroups.py`: a phase and the failures seen so far. Children are plain
//! tokio tasks: a child's value travels in its own `JoinHandle` (held by its
//! [`TaskHandle`]), a failing child records its failure in the group itself,
//! and each child's destructor (run when it completes and when it is
//! aborted) counts it out of the group's live children, waking the scope at
//! zero. So the scope is not woken once per child, and a child that
//! succeeds never takes the group's lock.
//!
//! The rooms: [`child`] (one child's run), [`handle`] (`TaskHandle`),
//! [`scope`] (the scope that drives a group to its end).

use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use futures_util::future::Either;
use futures_util::task::AtomicWaker;
use tokio::runtime::Handle;
use tokio::task::{AbortHandle, JoinHandle};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::builder::Config;
use crate::error::{ErrorGroup, Failure, SpawnError, SpawnErrorKind, TaskError, TaskName};
use crate::limit::Slots;
use crate::observe::{next_group_id, spawn_observed};
use crate::orphans::{Enclosing, Orphans};

mod child;
mod handle;
mod scope;
#[cfg(test)]
mod tests;

use child::{Child, Limited, Unlimited};
pub use handle::TaskHandle;
pub use scope::scope;

/// A handle to a running task group, passed to the body of [`scope`].
///
/// Cheap to clone and `Send`, so children can spawn siblings into their own
/// group ([`spawn_sibling`](Self::spawn_sibling)), as asyncio tasks call
/// `tg.create_task`.
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
    /// Closed early (a failure, the deadline, `cancel()`): children are
    /// being cancelled, spawns are refused.
    Closing,
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
    /// Set when the group closes: a `limit(n)` child whose turn comes
    /// after that never starts.
    closed: AtomicBool,
    /// Shown in the children's tracing spans.
    id: u64,
    // Never changed after the group is made, so read without the lock.
    config: Config,
    /// Admission for `limit(n)`: fair, so waiting children start in spawn order.
    slots: Option<Slots>,
    /// Children are spawned here, so `spawn` also works from threads outside
    /// the runtime (a `std::thread` holding a clone of the handle).
    runtime: Handle,
    /// Aborted children of nested groups that were dropped inside this
    /// group's children: the scope waits for them too (see [`Orphans`]).
    orphans: Arc<Orphans>,
    /// The group's place in the task tree, given up when it is dropped.
    #[cfg(feature = "tree")]
    tree: crate::tree::Registration,
}

/// A child as its group lists it: the handle it is aborted by, and with the
/// `tree` feature, what the task tree shows of it.
struct Listed {
    task: AbortHandle,
    #[cfg(feature = "tree")]
    tag: ChildTag,
    #[cfg(feature = "tree")]
    info: crate::tree::ChildInfo,
}

struct State<E> {
    phase: Phase,
    /// For abort-all. Finished children's handles are swept out when the
    /// list reaches `sweep_at`, so it stays within twice the live children.
    tasks: Vec<Listed>,
    sweep_at: usize,
    /// Abort-all has run (or the group was dropped): a child listed after
    /// it is aborted at once.
    aborted: bool,
    /// The body has returned (the tree shows the group as finishing).
    #[cfg(feature = "tree")]
    body_done: bool,
    failures: Vec<Failure<E>>,
    next_seq: u64,
    /// The names of live children spawned with one, by number: a child
    /// keeps only its number (see [`ChildTag`]).
    names: HashMap<u64, TaskName>,
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
    /// it next runs (see [`Abort::ByTheScope`]).
    abort_pending: bool,
}

/// When [`Shared::close`] aborts the children (without a grace period).
#[derive(Clone, Copy)]
enum Abort {
    /// At once.
    Now,
    /// When the scope next runs, not in the failing child: siblings already
    /// woken to fail at the same moment (the same timer, the same token)
    /// still run and are reported too.
    ByTheScope,
}

/// The smallest `sweep_at`: below it, sweeping costs more than it frees.
const MIN_SWEEP: usize = 64;

impl<E> State<E> {
    fn token(&mut self) -> &CancellationToken {
        self.token.get_or_insert_with(CancellationToken::new)
    }

    fn abort_all(&mut self) {
        self.aborted = true;
        // Kept for the task tree, which shows aborted children until they
        // are dropped; otherwise the handles are of no more use.
        #[cfg(feature = "tree")]
        self.tasks.iter().for_each(|listed| listed.task.abort());
        #[cfg(not(feature = "tree"))]
        self.tasks.drain(..).for_each(|listed| listed.task.abort());
    }

    /// The name of the child tagged `tag`, the lock held: the one it was
    /// spawned with while it lives, else `task-N`.
    fn name_of(&self, tag: ChildTag) -> TaskName {
        match self.names.get(&tag.seq()) {
            Some(name) if tag.is_named() => name.clone(),
            _ => TaskName::seq(tag.seq()),
        }
    }

    /// Drops the handles of finished children (which keep their tasks'
    /// memory), amortised: the list has doubled since the last sweep.
    /// `live` children are not dropped yet: when they are most of the list,
    /// a sweep would free little and visit every handle (a cache miss each
    /// in a large group), so the list is let grow, staying within twice the
    /// live children.
    fn sweep(&mut self, live: usize) {
        if self.tasks.len().saturating_sub(live) * 2 >= self.tasks.len() {
            self.tasks.retain(|listed| !listed.task.is_finished());
        }
        self.sweep_at = (self.tasks.len() * 2).max(MIN_SWEEP);
    }
}

impl<E> Shared<E> {
    /// Closes the group (the one word for this transition: the public
    /// [`TaskGroup::cancel`] and [`TaskGroup::is_closed`] name it from
    /// outside): new spawns are refused, children see the token, and are
    /// aborted when `abort` says, or when the grace period ends.
    fn close(&self, st: &mut State<E>, abort: Abort) {
        if st.phase != Phase::Running {
            return;
        }
        st.phase = Phase::Closing;
        self.closed.store(true, Ordering::SeqCst);
        st.token().cancel();
        match self.config.grace {
            Some(grace) if self.live.load(Ordering::SeqCst) > 0 => {
                // A grace period past the clock's range never ends: the
                // children are only ever asked, through the token.
                st.abort_at = Instant::now().checked_add(grace);
                self.waker.wake();
            }
            _ => match abort {
                Abort::Now => st.abort_all(),
                Abort::ByTheScope => st.abort_pending = true,
            },
        }
    }

    /// A child's failures (several for a nested group's): collected, and
    /// unless in supervisor mode, the group and its body are cancelled.
    fn record(&self, failures: Vec<Failure<E>>) {
        if failures.is_empty() {
            return; // a nested group that was only cancelled
        }
        let mut st = lock(&self.state);
        for failure in &failures {
            tracing::debug!(group = self.id, task = %failure.name(), kind = failure.error().kind_name(), "child failed");
        }
        st.failures.extend(failures);
        if !self.config.supervisor {
            st.cancel_body = true;
            self.close(&mut st, Abort::ByTheScope);
            drop(st);
            // The scope cancels the body and aborts the children.
            self.waker.wake();
        }
    }

    /// The name of the child tagged `tag`: `task-N`, or the one it was
    /// spawned with.
    fn name_of(&self, tag: ChildTag) -> TaskName {
        if !tag.is_named() {
            return TaskName::seq(tag.seq());
        }
        lock(&self.state).name_of(tag)
    }

    /// A child spawned with a name is being dropped: its name is no longer
    /// needed (a failure of it was recorded by now).
    fn forget_name(&self, tag: ChildTag) {
        if tag.is_named() {
            lock(&self.state).names.remove(&tag.seq());
        }
    }

    /// A child was dropped: the last one wakes the scope.
    fn child_ended(&self) {
        if self.live.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.waker.wake();
        }
    }
}

/// A group's child moves its group into the thread-local while it runs (see
/// `orphans::entered`): a nested group dropped inside it hands its aborted
/// children to this group's registry.
impl<E: Send + 'static> Enclosing for Shared<E> {
    fn registry(self: Arc<Self>) -> Arc<Orphans> {
        Arc::clone(&self.orphans)
    }
    fn into_any(self: Arc<Self>) -> Arc<dyn Any + Send + Sync> {
        self
    }
    #[cfg(feature = "tree")]
    fn tree_parent(&self) -> Option<crate::tree::Parent> {
        crate::tree::Owner::Children(self.id).parent()
    }
}

/// A group as the task tree shows it.
#[cfg(feature = "tree")]
impl<E: Send + 'static> crate::tree::Node for Shared<E> {
    fn describe(&self, now: Instant) -> Option<crate::tree::Group> {
        use crate::tree::{ChildState, GroupKind, GroupState};
        let st = lock(&self.state);
        let (state, children) = match st.phase {
            Phase::Finished => return None,
            Phase::Running if st.body_done => (GroupState::Finishing, ChildState::Running),
            Phase::Running => (GroupState::Running, ChildState::Running),
            Phase::Closing if st.aborted => (
                GroupState::Cancelling {
                    grace_period: false,
                },
                ChildState::Cancelled,
            ),
            Phase::Closing => (
                GroupState::Cancelling {
                    grace_period: self.config.grace.is_some(),
                },
                ChildState::Cancelling,
            ),
        };
        let children = st
            .tasks
            .iter()
            .filter(|listed| !listed.task.is_finished())
            .map(|listed| {
                let name = st.name_of(listed.tag);
                let id = listed.task.id();
                listed.info.describe(&self.tree, &name, id, children, now)
            })
            .collect();
        Some(self.tree.group(GroupKind::Scope, state, now, children))
    }
}

fn lock<E>(state: &Mutex<State<E>>) -> MutexGuard<'_, State<E>> {
    // No user code runs under the lock, so a poisoned lock still holds a
    // consistent state.
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

/// What a child keeps to be named: its number in the group, and whether it
/// was spawned with a name (then kept in the group's `names`). A child's size
/// is its task's, so the memory per pending child: 8 bytes here rather than
/// a 24-byte [`TaskName`] keeps a child within tokio's 128-byte task steps
/// where `JoinSet`'s does.
#[derive(Clone, Copy)]
struct ChildTag(u64);

impl ChildTag {
    const NAMED: u64 = 1 << 63;

    fn new(seq: u64, named: bool) -> Self {
        ChildTag(seq | if named { Self::NAMED } else { 0 })
    }

    fn seq(self) -> u64 {
        self.0 & !Self::NAMED
    }

    fn is_named(self) -> bool {
        self.0 & Self::NAMED != 0
    }
}

/// Who opened a group, for the task tree: its name and the call's location.
#[cfg_attr(not(feature = "tree"), allow(dead_code))]
pub(crate) struct Opened {
    pub(crate) name: Option<&'static str>,
    pub(crate) at: &'static std::panic::Location<'static>,
}

/// The failure of a child that returned `Err(error)`.
fn failure_of<E>(name: TaskName, error: E) -> Vec<Failure<E>> {
    vec![Failure::new(name, TaskError::Failed(error))]
}

impl<E: Send + 'static> TaskGroup<E> {
    /// A group with `config`, opened by `opened` (its name and location, for
    /// the task tree).
    #[cfg_attr(not(feature = "tree"), allow(unused_variables))]
    fn new(config: Config, opened: Opened) -> Self {
        let slots = Slots::new(config.limit);
        let id = next_group_id();
        TaskGroup {
            shared: Arc::new_cyclic(|_this| Shared {
                state: Mutex::new(State {
                    phase: Phase::Running,
                    tasks: Vec::new(),
                    sweep_at: MIN_SWEEP,
                    aborted: false,
                    #[cfg(feature = "tree")]
                    body_done: false,
                    failures: Vec::new(),
                    next_seq: 0,
                    names: HashMap::new(),
                    token: None,
                    cancel_body: false,
                    abort_at: None,
                    abort_pending: false,
                }),
                live: AtomicUsize::new(0),
                waker: AtomicWaker::new(),
                closed: AtomicBool::new(false),
                id,
                config,
                slots,
                runtime: Handle::current(),
                orphans: Arc::new(Orphans::for_body(id)),
                #[cfg(feature = "tree")]
                tree: crate::tree::Registration::new(
                    id,
                    opened.name,
                    opened.at,
                    _this.clone() as std::sync::Weak<dyn crate::tree::Node>,
                ),
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
    #[cfg_attr(feature = "tree", track_caller)]
    pub fn spawn<T, F>(&self, future: F) -> Result<TaskHandle<T, E>, SpawnError<E>>
    where
        F: Send + 'static,
        F: Future<Output = Result<T, E>>, // another error type? convert it: `.map_err(..)`, or `?` in `async`
        T: Send + 'static,
    {
        self.start(None, future, failure_of)
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
    /// assert_eq!(format!("{err:#}"), "task `db` failed: timeout");
    /// # }
    /// ```
    #[cfg_attr(feature = "tree", track_caller)]
    pub fn spawn_named<T, F>(
        &self,
        name: impl Into<Arc<str>>,
        future: F,
    ) -> Result<TaskHandle<T, E>, SpawnError<E>>
    where
        F: Send + 'static,
        F: Future<Output = Result<T, E>>, // another error type? convert it: `.map_err(..)`, or `?` in `async`
        T: Send + 'static,
    {
        let name = TaskName::named(name);
        self.start(Some(name), future, failure_of)
    }

    /// Starts a child that runs a group of its own (a nested [`scope`] or a
    /// `#[task_group]` fn): its failures are flattened into this group's,
    /// each named `child/inner`. A nested group that ended as a cancellation
    /// ([`ErrorGroup::is_cancelled`]) is a cancelled child, not a failure.
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
    /// assert_eq!(err.first().name(), "task-0/leaf");
    /// # }
    /// ```
    #[cfg_attr(feature = "tree", track_caller)]
    pub fn spawn_nested<T, F>(&self, future: F) -> Result<TaskHandle<T, E>, SpawnError<E>>
    where
        F: Future<Output = Result<T, ErrorGroup<E>>> + Send + 'static,
        T: Send + 'static,
    {
        self.start(None, future, |name, group: ErrorGroup<E>| {
            // A nested group's cancellations are no failures here either; one
            // that was cancelled and nothing else is a cancelled child.
            let mut failures = group.nested_under(&name);
            failures.retain(|f| !f.error().is_cancelled());
            failures
        })
    }

    /// Starts `future` as a sibling of the calling child: [`spawn`](Self::spawn)
    /// for the group's own children, which cannot `?` a [`SpawnError`] (their
    /// error type is `E`, not `ErrorGroup<E>`).
    ///
    /// Nothing to propagate: a spawn is only refused once the group is
    /// shutting down or finished, and then every child of it is being
    /// cancelled, so this future never completes and the caller ends as a
    /// cancelled child, not a failed one. A caller that is a child of this
    /// group is aborted at once, within a grace period too, so its siblings
    /// need not wait for it.
    ///
    /// For code the group cancels when it closes: its children, its body and
    /// what runs inside them. A task or thread outside the group that holds
    /// a clone must use `spawn`, and handle the refusal, or it would wait
    /// here forever.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// use taskgroup::TaskGroup;
    ///
    /// async fn fetch(page: u32) -> Result<u32, String> {
    ///     if page == 4 { Err(format!("page {page} is broken")) } else { Ok(page) }
    /// }
    ///
    /// /// Reads the index, and fetches each page it lists as a sibling.
    /// async fn index(tg: TaskGroup<String>) -> Result<(), String> {
    ///     for page in 1..=4 {
    ///         tg.spawn_sibling(fetch(page)).await;
    ///     }
    ///     Ok(())
    /// }
    ///
    /// let err = taskgroup::scope(|tg| async move {
    ///     tg.spawn_named("index", index(tg.clone()))?;
    ///     Ok(())
    /// })
    /// .await
    /// .unwrap_err();
    /// assert_eq!(format!("{err:#}"), "task `task-4` failed: page 4 is broken");
    /// # }
    /// ```
    #[cfg_attr(feature = "tree", track_caller)]
    pub fn spawn_sibling<T, F>(&self, future: F) -> impl Future<Output = TaskHandle<T, E>>
    where
        F: Future<Output = Result<T, E>> + Send + 'static,
        T: Send + 'static,
    {
        self.sibling(self.spawn(future))
    }

    /// Like [`spawn_sibling`](Self::spawn_sibling), with a name for errors
    /// and tracing.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let err = taskgroup::scope(|tg| async move {
    ///     let group = tg.clone();
    ///     tg.spawn_named("parent", async move {
    ///         group.spawn_sibling_named("child", async { Err::<(), _>("bad") }).await;
    ///         Ok(())
    ///     })?;
    ///     Ok(())
    /// })
    /// .await
    /// .unwrap_err();
    /// assert_eq!(err.first().name(), "child");
    /// # }
    /// ```
    #[cfg_attr(feature = "tree", track_caller)]
    pub fn spawn_sibling_named<T, F>(
        &self,
        name: impl Into<Arc<str>>,
        future: F,
    ) -> impl Future<Output = TaskHandle<T, E>>
    where
        F: Future<Output = Result<T, E>> + Send + 'static,
        T: Send + 'static,
    {
        self.sibling(self.spawn_named(name, future))
    }

    /// The handle of a spawn, or on a refusal, the end of the calling child.
    fn sibling<T>(
        &self,
        spawned: Result<TaskHandle<T, E>, SpawnError<E>>,
    ) -> impl Future<Output = TaskHandle<T, E>> + use<T, E> {
        if spawned.is_err() {
            self.abort_calling_child();
        }
        match spawned {
            Ok(handle) => Either::Left(std::future::ready(handle)),
            // The group is cancelling what runs in it, the caller too.
            Err(_) => Either::Right(std::future::pending()),
        }
    }

    /// Aborts the tokio task this is called from if it is a child of this
    /// group: a closing group's children are otherwise aborted only after
    /// its grace period.
    fn abort_calling_child(&self) {
        let Some(id) = tokio::task::try_id() else {
            return;
        };
        let st = lock(&self.shared.state);
        if let Some(listed) = st.tasks.iter().find(|listed| listed.task.id() == id) {
            listed.task.abort();
        }
    }

    /// Spawns a child as a tokio task of its own.
    ///
    /// The child future is kept small, as it sets the tokio task's size and
    /// so the memory per pending child: without a limit there is no
    /// admission step, and `on_err` is a closure, not a stored function
    /// pointer.
    #[cfg_attr(feature = "tree", track_caller)]
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
        OnErr: Fn(TaskName, Err) -> Vec<Failure<E>> + Send + 'static,
    {
        let shared = &self.shared;
        let mut st = lock(&shared.state);
        match st.phase {
            Phase::Running => {}
            Phase::Closing => return Err(SpawnError::new(SpawnErrorKind::ShuttingDown)),
            Phase::Finished => return Err(SpawnError::new(SpawnErrorKind::Finished)),
        }
        let seq = st.next_seq;
        st.next_seq += 1;
        let tag = ChildTag::new(seq, name.is_some());
        if let Some(name) = &name {
            st.names.insert(seq, name.clone());
        }
        if st.tasks.len() >= st.sweep_at {
            st.sweep(shared.live.load(Ordering::Relaxed));
        }
        // Counted in under the lock, so the scope cannot finish before the
        // child is listed below.
        shared.live.fetch_add(1, Ordering::Relaxed);
        // The `limit(n)` queue place, taken in the order of the names.
        let turn = shared.slots.as_ref().map(Slots::take_turn);
        drop(st);
        // Written out (`task-N`) without the lock held.
        let name = name.unwrap_or_else(|| TaskName::seq(seq));
        #[cfg(feature = "tree")]
        let admitted = turn
            .is_some()
            .then(|| Arc::new(std::sync::atomic::AtomicBool::new(false)));
        #[cfg(feature = "tree")]
        let info = crate::tree::ChildInfo::new(
            &shared.tree,
            std::panic::Location::caller(),
            admitted.clone(),
        );
        // Spawned without the lock: on a runtime that is shutting down, tokio
        // drops the child at once, and a panic in that drop is recorded in
        // the group, which takes the lock.
        let group = Arc::clone(shared);
        let task = match turn {
            None => shared.spawn(Child::new(Unlimited, future, on_err, tag, group), &name),
            Some(turn) => {
                let limited = Limited::new(turn);
                #[cfg(feature = "tree")]
                let limited = limited.telling(admitted);
                shared.spawn(Child::new(limited, future, on_err, tag, group), &name)
            }
        };
        let listed = Listed {
            task: task.abort_handle(),
            #[cfg(feature = "tree")]
            tag,
            #[cfg(feature = "tree")]
            info,
        };
        let mut st = lock(&shared.state);
        if st.aborted {
            // The group was cancelled in between: as if it had been listed.
            listed.task.abort();
        }
        // Listed anyway with the tree, which shows it until it is dropped.
        if !st.aborted || cfg!(feature = "tree") {
            st.tasks.push(listed);
        }
        drop(st);
        Ok(TaskHandle::new(task, name))
    }
}

impl<E: Send + 'static> Shared<E> {
    /// Spawns a child on the group's runtime, under the name it is known by.
    fn spawn<F>(&self, child: F, name: &TaskName) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        spawn_observed(
            &self.runtime,
            child,
            self.id,
            || name.clone(),
            self.config.slow_poll,
        )
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
        self.shared.close(&mut st, Abort::Now);
        drop(st);
        // The scope drops the body, whatever it is waiting for.
        self.shared.waker.wake();
    }

    /// The group's cancellation token: cancelled as soon as the group starts
    /// ending early (a failure, the deadline or [`cancel`](Self::cancel)),
    /// before children are aborted, so a child can finish cleanly within the
    /// grace period set by [`Builder::grace_period`](crate::Builder::grace_period).
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
    /// assert_eq!(err.first().name(), "reader");
    /// # }
    /// ```
    pub fn token(&self) -> CancellationToken {
        self.lock().token().clone()
    }
}
