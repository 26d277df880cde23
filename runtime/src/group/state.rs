//! A group's state machine: its phase, its listed children, its failures,
//! and what the scope, the children and the task tree read of it.

use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use futures_util::task::AtomicWaker;
use tokio::runtime::Handle;
use tokio::task::{AbortHandle, JoinHandle};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::builder::Config;
use crate::error::{Failure, TaskError, TaskName};
use crate::limit::Slots;
use crate::observe::spawn_observed;
use crate::orphans::{Enclosing, Orphans};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Phase {
    /// Accepting children.
    Running,
    /// Closed early (a failure, the deadline, `cancel()`): children are
    /// being cancelled, spawns are refused.
    Closing,
    /// Body and children are done, or the scope was dropped.
    Finished,
}

/// What a group's children share with it.
pub(super) struct Shared<E> {
    pub(super) state: Mutex<State<E>>,
    /// Children spawned and not yet dropped. Raised under the lock by
    /// `spawn`, lowered without it by each child's destructor.
    pub(super) live: AtomicUsize,
    /// The scope's task: woken when `live` reaches zero, at a failure, and by
    /// a `cancel()` from elsewhere (to arm the grace timer). Once the scope
    /// is dropped, whoever waits for its aborted children (see
    /// [`LiveChildren`]).
    pub(super) waker: AtomicWaker,
    /// Set when the group closes: a `limit(n)` child whose turn comes
    /// after that never starts.
    pub(super) closed: AtomicBool,
    /// Shown in the children's tracing spans.
    pub(super) id: u64,
    // Never changed after the group is made, so read without the lock.
    pub(super) config: Config,
    /// Admission for `limit(n)`: fair, so waiting children start in spawn order.
    pub(super) slots: Option<Slots>,
    /// Children are spawned here, so `spawn` also works from threads outside
    /// the runtime (a `std::thread` holding a clone of the handle).
    pub(super) runtime: Handle,
    /// Aborted children of nested groups that were dropped inside this
    /// group's children: the scope waits for them too (see [`Orphans`]).
    pub(super) orphans: Arc<Orphans>,
    /// The group's place in the task tree, given up when it is dropped.
    #[cfg(feature = "tree")]
    pub(super) tree: crate::tree::Registration,
}

/// A child as its group lists it: the handle it is aborted by, and with the
/// `tree` feature, what the task tree shows of it.
pub(super) struct Listed {
    pub(super) task: AbortHandle,
    #[cfg(feature = "tree")]
    pub(super) tag: ChildTag,
    #[cfg(feature = "tree")]
    pub(super) info: crate::tree::ChildInfo,
}

pub(super) struct State<E> {
    pub(super) phase: Phase,
    /// For abort-all. Finished children's handles are swept out when the
    /// list reaches `sweep_at`, so it stays within twice the live children.
    pub(super) tasks: Vec<Listed>,
    pub(super) sweep_at: usize,
    /// Abort-all has run (or the group was dropped): a child listed after
    /// it is aborted at once.
    pub(super) aborted: bool,
    /// The body has returned (the tree shows the group as finishing).
    #[cfg(feature = "tree")]
    pub(super) body_done: bool,
    pub(super) failures: Vec<Failure<E>>,
    pub(super) next_seq: u64,
    /// The names of live children spawned with one, by number: a child
    /// keeps only its number (see [`ChildTag`]).
    pub(super) names: HashMap<u64, TaskName>,
    /// Seen by children first when the group ends early (graceful cancel).
    /// Created when first asked for, or at the shutdown: most groups never
    /// need one, and it is an allocation.
    pub(super) token: Option<CancellationToken>,
    /// Set by a failure, the deadline or `cancel()`: the scope drops the
    /// body at its next await.
    pub(super) cancel_body: bool,
    /// When the grace period after a cancellation ends and children are aborted.
    pub(super) abort_at: Option<Instant>,
    /// A child's failure closed the group: the scope aborts the others when
    /// it next runs (see [`Abort::ByTheScope`]).
    pub(super) abort_pending: bool,
}

/// When [`Shared::close`] aborts the children (without a grace period).
#[derive(Clone, Copy)]
pub(super) enum Abort {
    /// At once.
    Now,
    /// When the scope next runs, not in the failing child: siblings already
    /// woken to fail at the same moment (the same timer, the same token)
    /// still run and are reported too.
    ByTheScope,
}

/// The smallest `sweep_at`: below it, sweeping costs more than it frees.
pub(super) const MIN_SWEEP: usize = 64;

impl<E> State<E> {
    pub(super) fn token(&mut self) -> &CancellationToken {
        self.token.get_or_insert_with(CancellationToken::new)
    }

    pub(super) fn abort_all(&mut self) {
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
    pub(super) fn name_of(&self, tag: ChildTag) -> TaskName {
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
    pub(super) fn sweep(&mut self, live: usize) {
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
    pub(super) fn close(&self, st: &mut State<E>, abort: Abort) {
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
    pub(super) fn record(&self, failures: Vec<Failure<E>>) {
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
    pub(super) fn name_of(&self, tag: ChildTag) -> TaskName {
        if !tag.is_named() {
            return TaskName::seq(tag.seq());
        }
        lock(&self.state).name_of(tag)
    }

    /// A child spawned with a name is being dropped: its name is no longer
    /// needed (a failure of it was recorded by now).
    pub(super) fn forget_name(&self, tag: ChildTag) {
        if tag.is_named() {
            lock(&self.state).names.remove(&tag.seq());
        }
    }

    /// A child was dropped: the last one wakes the scope.
    pub(super) fn child_ended(&self) {
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

pub(super) fn lock<E>(state: &Mutex<State<E>>) -> MutexGuard<'_, State<E>> {
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
pub(super) struct ChildTag(u64);

impl ChildTag {
    const NAMED: u64 = 1 << 63;

    pub(super) fn new(seq: u64, named: bool) -> Self {
        ChildTag(seq | if named { Self::NAMED } else { 0 })
    }

    pub(super) fn seq(self) -> u64 {
        self.0 & !Self::NAMED
    }

    pub(super) fn is_named(self) -> bool {
        self.0 & Self::NAMED != 0
    }
}

impl<E: Send + 'static> Shared<E> {
    /// Spawns a child on the group's runtime, under the name it is known by.
    pub(super) fn spawn<F>(&self, child: F, name: &TaskName) -> JoinHandle<F::Output>
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

/// The failure of a child that returned `Err(error)`.
pub(super) fn failure_of<E>(name: TaskName, error: E) -> Vec<Failure<E>> {
    vec![Failure::new(name, TaskError::Failed(error))]
}
