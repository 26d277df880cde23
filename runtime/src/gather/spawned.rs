//! `gather!` without `local`: each argument is a tokio task of its own,
//! started when the [`Scheduler`] admits it, its `JoinHandle` polled in
//! place.
//!
//! No group, `JoinSet`, channel or box per call: a `gather!` of three costs
//! about what spawning three tasks and awaiting them does, with the same
//! guarantees as a task group: the first failure aborts the others, the
//! gather returns only once every child (and every grandchild of a nested
//! group dropped in one) has ended, every failure is reported, and dropping
//! the gather aborts its children.

use std::future::Future;
use std::mem;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use tokio::task::{JoinError, JoinHandle};

use super::scheduler::Scheduler;
use crate::error::{ErrorGroup, Failure, ORPHAN_NAME, TaskError, TaskName};
use crate::observe::{OnRuntime, default_slow_poll, next_group_id, spawn_observed};
use crate::orphans::{OrphanScope, Signal, hand_over_task};
use crate::panic::{drop_caught, panic_message};

/// What a failed child does to the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// The first failure aborts the others (the default).
    FailFast,
    /// Failures are collected; nothing is aborted (`Builder::supervisor`).
    Supervise,
    /// A failure is the argument's outcome (`settled`, `gather_settled`).
    Settle,
}

/// The scheduler of a spawning `gather!` (or `gather_all`), with what its
/// children share.
pub struct Spawner<E> {
    pub(super) mode: Mode,
    pub(super) scheduler: Scheduler<E>,
    /// Whether this pass polls the children's handles (see [`Signal`]).
    pub(super) watch: bool,
    /// Grandchildren of nested groups dropped inside the children.
    pub(super) orphans: OrphanScope,
    /// Shown in the children's tracing spans.
    pub(super) id: u64,
    pub(super) slow_poll: Option<Duration>,
    /// Failures of children that ended while being aborted after the first.
    pub(super) late: Vec<Failure<E>>,
    /// The gather's node in the task tree.
    #[cfg(feature = "tree")]
    pub(crate) tree: crate::tree::ListNode,
}

/// One argument of a spawning `gather!`.
pub struct SpawnedArg<Fut, T: Send + 'static, Err: Send + 'static> {
    pub(super) state: Spawned<Fut, Result<T, TaskError<Err>>>,
}

pub(super) enum Spawned<Fut, O> {
    /// Not admitted yet: not spawned.
    Waiting(Fut),
    Running(JoinHandle<O>),
    Done(O),
    Taken,
}

impl<Fut, T: Send + 'static, Err: Send + 'static> SpawnedArg<Fut, T, Err> {
    pub(crate) fn new(future: Fut) -> Self {
        SpawnedArg {
            state: Spawned::Waiting(future),
        }
    }

    fn is_done(&self) -> bool {
        matches!(self.state, Spawned::Done(_) | Spawned::Taken)
    }

    /// The error of an argument that ended in one, taken out; `None`
    /// otherwise (running, succeeded, or already taken).
    pub(super) fn take_failure(&mut self) -> Option<TaskError<Err>> {
        if !matches!(self.state, Spawned::Done(Err(_))) {
            return None;
        }
        match mem::replace(&mut self.state, Spawned::Taken) {
            Spawned::Done(Err(error)) => Some(error),
            _ => None,
        }
    }
}

impl<Fut, T: Send + 'static, Err: Send + 'static> Drop for SpawnedArg<Fut, T, Err> {
    fn drop(&mut self) {
        // The gather was dropped mid-way: abort the child, and let the group
        // this runs in (if any) wait for it to end.
        if !matches!(self.state, Spawned::Running(_)) {
            return; // the common case: its outcome was taken
        }
        if let Spawned::Running(handle) = mem::replace(&mut self.state, Spawned::Taken) {
            hand_over_task(handle);
        }
    }
}

/// Aborts the argument's child if it still runs; `Ready` with its outcome
/// once it has ended, or with the outcome it ended with earlier if that was
/// not taken (`None` when there is none).
fn poll_stopped<Fut, T: Send + 'static, Err: Send + 'static>(
    arg: &mut SpawnedArg<Fut, T, Err>,
    cx: &mut Context<'_>,
) -> Poll<Option<Result<T, TaskError<Err>>>> {
    if let Spawned::Running(handle) = &mut arg.state {
        handle.abort();
        let result = ready!(Pin::new(handle).poll(cx));
        arg.state = Spawned::Done(joined(result));
    }
    match mem::replace(&mut arg.state, Spawned::Taken) {
        Spawned::Done(outcome) => Poll::Ready(Some(outcome)),
        other => {
            arg.state = other;
            Poll::Ready(None)
        }
    }
}

/// Spawns the argument's child if it has not started.
pub(super) fn start<Fut, T, Err>(
    arg: &mut SpawnedArg<Fut, T, Err>,
    orphans: &OrphanScope,
    group: u64,
    slow_poll: Option<Duration>,
    index: u64,
    #[cfg(feature = "tree")] tree: &crate::tree::ListNode,
) where
    Fut: Future<Output = Result<T, TaskError<Err>>> + Send + 'static,
    T: Send + 'static,
    Err: Send + 'static,
{
    if let Spawned::Waiting(_) = arg.state {
        let Spawned::Waiting(future) = mem::replace(&mut arg.state, Spawned::Taken) else {
            unreachable!("matched just above")
        };
        let child = orphans.run_signalled(future, index as usize);
        let handle = spawn_observed(OnRuntime, child, group, || TaskName::seq(index), slow_poll);
        #[cfg(feature = "tree")]
        tree.started(index as usize, handle.id());
        arg.state = Spawned::Running(handle);
    }
}

/// Polls a child's handle outside tokio's cooperative budget, which would
/// otherwise report a finished child as pending once a gather has polled
/// 128 handles in one turn.
pub(super) fn poll_unbudgeted<O>(
    handle: &mut JoinHandle<O>,
    cx: &mut Context<'_>,
) -> Poll<Result<O, JoinError>> {
    Pin::new(&mut tokio::task::coop::unconstrained(handle)).poll(cx)
}

/// A context whose wake-ups go nowhere, to look at a handle once.
fn noop_cx() -> Context<'static> {
    Context::from_waker(std::task::Waker::noop())
}

/// How a child's `JoinHandle` ended, as its outcome.
pub(super) fn joined<T, Err>(
    result: Result<Result<T, TaskError<Err>>, JoinError>,
) -> Result<T, TaskError<Err>> {
    match result {
        Ok(outcome) => outcome,
        Err(err) => match err.try_into_panic() {
            Ok(payload) => Err(TaskError::Panicked(panic_message(&*payload))),
            // Only the runtime shutting down cancels a running child.
            Err(_) => Err(TaskError::Cancelled),
        },
    }
}

impl<E: Send + 'static> Spawner<E> {
    /// The scheduler of a spawning `gather!` of `arity` arguments, settled
    /// or not; the deadline starts at first poll.
    #[cfg_attr(feature = "tree", track_caller)]
    pub fn new(
        arity: usize,
        settled: bool,
        limit: Option<usize>,
        timeout: Option<Duration>,
    ) -> Self {
        let mode = if settled {
            Mode::Settle
        } else {
            Mode::FailFast
        };
        Spawner::with(arity, mode, limit, timeout, default_slow_poll())
    }

    /// A scheduler for `arity` children in `mode`.
    #[cfg_attr(feature = "tree", track_caller)]
    pub(crate) fn with(
        arity: usize,
        mode: Mode,
        limit: Option<usize>,
        timeout: Option<Duration>,
        slow_poll: Option<Duration>,
    ) -> Self {
        let id = next_group_id();
        Spawner {
            mode,
            scheduler: Scheduler::new(limit, timeout),
            watch: true,
            orphans: OrphanScope::new(
                Signal::new(arity, mode == Mode::FailFast, limit.is_some()),
                id,
            ),
            id,
            slow_poll,
            late: Vec::new(),
            #[cfg(feature = "tree")]
            tree: crate::tree::ListNode::new(crate::tree::GroupKind::Gather, arity, None),
        }
    }

    /// Starts one pass over the arguments.
    pub fn begin(&mut self, cx: &Context<'_>) {
        #[cfg(feature = "tree")]
        self.open_tree();
        self.scheduler.begin();
        self.watch = self.orphans.signal().news(cx);
    }

    /// The gather's node in the task tree, opened at its first pass.
    #[cfg(feature = "tree")]
    pub(super) fn open_tree(&mut self) {
        let orphans = &self.orphans;
        self.tree
            .open(self.id, crate::orphans::tree_parent(), |list| {
                orphans.tell_tree(list)
            });
    }

    /// Ends a pass, as [`Scheduler::end`].
    pub fn end(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), ErrorGroup<E>>> {
        self.scheduler.end(cx)
    }

    /// Ends a pass in settled mode, as [`Scheduler::end_settled`].
    pub fn end_settled(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        self.scheduler.end_settled(cx)
    }

    /// Spawns the argument when admitted, then polls its handle.
    fn step<Fut, T, Err>(
        &mut self,
        arg: &mut SpawnedArg<Fut, T, Err>,
        cx: &mut Context<'_>,
        index: u64,
    ) where
        Fut: Future<Output = Result<T, TaskError<Err>>> + Send + 'static,
        T: Send + 'static,
        Err: Send + 'static,
    {
        let Spawner {
            scheduler,
            watch,
            orphans,
            id,
            slow_poll,
            #[cfg(feature = "tree")]
            tree,
            ..
        } = self;
        scheduler.step(arg.is_done(), index, || {
            start(
                arg,
                orphans,
                *id,
                *slow_poll,
                index,
                #[cfg(feature = "tree")]
                tree,
            );
            let Spawned::Running(handle) = &mut arg.state else {
                return Poll::Ready(());
            };
            if !*watch {
                return Poll::Pending;
            }
            let outcome = joined(ready!(Pin::new(handle).poll(cx)));
            arg.state = Spawned::Done(outcome);
            Poll::Ready(())
        });
    }

    /// Polls argument `index` if it runs or may start; `Err` when it failed
    /// (fail-fast: the caller stops polling and drains the others).
    pub fn poll<Fut, T>(
        &mut self,
        arg: &mut SpawnedArg<Fut, T, E>,
        cx: &mut Context<'_>,
        index: u64,
    ) -> Result<(), ErrorGroup<E>>
    where
        Fut: Future<Output = Result<T, TaskError<E>>> + Send + 'static,
        T: Send + 'static,
    {
        self.step(arg, cx, index);
        match arg.take_failure() {
            Some(error) => Err(super::scheduler::one_failure(TaskName::seq(index), error)),
            None => Ok(()),
        }
    }

    /// Polls argument `index` in settled mode: an error is its outcome.
    pub fn poll_settled<Fut, T, Err>(
        &mut self,
        arg: &mut SpawnedArg<Fut, T, Err>,
        cx: &mut Context<'_>,
        index: u64,
    ) where
        Fut: Future<Output = Result<T, TaskError<Err>>> + Send + 'static,
        T: Send + 'static,
        Err: Send + 'static,
    {
        self.step(arg, cx, index);
    }

    /// The value of a finished argument (fail-fast mode: it succeeded).
    pub fn take<Fut, T: Send + 'static>(&self, arg: &mut SpawnedArg<Fut, T, E>) -> T {
        match mem::replace(&mut arg.state, Spawned::Taken) {
            Spawned::Done(Ok(value)) => value,
            // `end` returned `Ready(Ok)` only when every argument succeeded.
            _ => unreachable!("gather!: argument taken before it succeeded"),
        }
    }

    /// The outcome of an argument in settled mode (an unfinished one timed
    /// out; it is aborted and waited for by [`poll_stop`](Self::poll_stop)).
    pub fn take_settled<Fut, T: Send + 'static, Err: Send + 'static>(
        &self,
        arg: &mut SpawnedArg<Fut, T, Err>,
    ) -> Result<T, TaskError<Err>> {
        match mem::replace(&mut arg.state, Spawned::Taken) {
            Spawned::Done(outcome) => outcome,
            Spawned::Running(mut handle) => match poll_unbudgeted(&mut handle, &mut noop_cx()) {
                // It ended before the deadline, but no pass has polled it
                // since (the gather only watches handles on a signal).
                Poll::Ready(result) => joined(result),
                Poll::Pending => {
                    arg.state = Spawned::Running(handle);
                    Err(self.scheduler.unfinished())
                }
            },
            Spawned::Waiting(_) | Spawned::Taken => Err(self.scheduler.unfinished()),
        }
    }

    /// After the gather's outcome is known: aborts argument `index` if it
    /// still runs and waits for it to end. A failure it reports meanwhile
    /// (it ended before the abort took effect) is kept for [`finish`](Self::finish).
    pub fn poll_stop<Fut, T: Send + 'static>(
        &mut self,
        arg: &mut SpawnedArg<Fut, T, E>,
        cx: &mut Context<'_>,
        index: u64,
    ) -> Poll<()> {
        #[cfg(feature = "tree")]
        self.tree.stopping();
        let error = match ready!(poll_stopped(arg, cx)) {
            Some(Err(error)) if !error.is_cancelled() => error,
            // A value nobody will read, as the gather failed: a panic in
            // its destructor is this argument's failure too.
            Some(Ok(value)) => match drop_caught(value) {
                Some(message) => TaskError::Panicked(message),
                None => return Poll::Ready(()),
            },
            Some(Err(_)) | None => return Poll::Ready(()),
        };
        self.late.push(Failure::new(TaskName::seq(index), error));
        Poll::Ready(())
    }

    /// [`poll_stop`](Self::poll_stop) in settled mode: the outcome was
    /// already taken (the argument timed out), so it is dropped.
    pub fn poll_stop_settled<Fut, T: Send + 'static, Err: Send + 'static>(
        &mut self,
        arg: &mut SpawnedArg<Fut, T, Err>,
        cx: &mut Context<'_>,
    ) -> Poll<()> {
        #[cfg(feature = "tree")]
        self.tree.stopping();
        poll_stopped(arg, cx).map(|outcome| {
            if let Some(message) = drop_caught(outcome) {
                // A settled gather's result has no place for it: said, not lost.
                tracing::error!(
                    "a timed-out gather argument's outcome panicked when dropped: {message}"
                );
            }
        })
    }

    /// Ready once every grandchild handed over by a dropped nested group has
    /// ended. A panic while dropping one's outcome is a failure of the
    /// gather named `orphan` (said in a tracing error when settled).
    pub fn poll_orphans(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        let mut panics = Vec::new();
        let drained = self.orphans.poll_drain(cx, &mut panics);
        for message in panics {
            if self.mode == Mode::Settle {
                tracing::error!(
                    "a task handed to a settled gather panicked when dropped: {message}"
                );
            } else {
                self.late.push(Failure::new(
                    TaskName::named(ORPHAN_NAME),
                    TaskError::Panicked(message),
                ));
            }
        }
        drained
    }

    /// The outcomes of a settled gather, once every child and orphan has ended.
    pub fn finish_settled<R>(self, outcomes: R) -> R {
        self.orphans.ended();
        outcomes
    }

    /// The gather's result, once every child and orphan has ended, with the
    /// failures of children that ended while being aborted added after the
    /// first.
    pub fn finish<R>(self, result: Result<R, ErrorGroup<E>>) -> Result<R, ErrorGroup<E>> {
        self.orphans.ended();
        if self.late.is_empty() {
            return result;
        }
        let mut failures = match result {
            Err(group) => group.into_failures(),
            // Supervised: the failures were collected as they came.
            Ok(_) => Vec::new(),
        };
        failures.extend(self.late);
        Err(ErrorGroup::from_failures(failures)
            .unwrap_or_else(|| unreachable!("a group was not empty")))
    }
}
