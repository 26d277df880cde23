//! `TaskGroup`: the handle a body and its children hold, and its API.
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
//! The rooms: [`state`] (the state machine), [`spawn`] (how a child is
//! started), [`child`] (one child's run), [`handle`] (`TaskHandle`),
//! [`scope`] (the scope that drives a group to its end).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use futures_util::task::AtomicWaker;
use tokio::runtime::Handle;
use tokio_util::sync::CancellationToken;

use crate::builder::Config;
use crate::error::{ErrorGroup, SpawnError, TaskName};
use crate::limit::Slots;
use crate::observe::next_group_id;
use crate::orphans::Orphans;

mod child;
mod handle;
mod scope;
mod spawn;
mod state;
#[cfg(test)]
mod tests;

pub use handle::{SpawnSibling, TaskHandle};
pub use scope::scope;
use state::{Abort, ChildTag, Listed, MIN_SWEEP, Phase, Shared, State, failure_of, lock};

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

/// Who opened a group, for the task tree: its name and the call's location.
#[cfg_attr(not(feature = "tree"), allow(dead_code))]
pub(crate) struct Opened {
    pub(crate) name: Option<&'static str>,
    pub(crate) at: &'static std::panic::Location<'static>,
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
                    crate::orphans::tree_parent(),
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
    /// group is closing or finished; the future is then dropped unpolled.
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

    /// Starts a child that runs a group of its own (a nested [`scope`](super::scope) or a
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
    /// closing or finished, and then every child of it is being
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
    pub fn spawn_sibling<T, F>(&self, future: F) -> SpawnSibling<T, E>
    where
        F: Send + 'static,
        F: Future<Output = Result<T, E>>, // another error type? convert it: `.map_err(..)`, or `?` in `async`
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
    ) -> SpawnSibling<T, E>
    where
        F: Send + 'static,
        F: Future<Output = Result<T, E>>, // another error type? convert it: `.map_err(..)`, or `?` in `async`
        T: Send + 'static,
    {
        self.sibling(self.spawn_named(name, future))
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
    /// awaiting); otherwise an [`ErrorGroup`](crate::ErrorGroup) for which
    /// [`is_cancelled`](crate::ErrorGroup::is_cancelled) is true, a cancellation
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
