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
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::task::{Context, Poll, ready};
use std::time::Duration;

use futures_util::FutureExt as _;
use futures_util::task::AtomicWaker;
use tokio::task::{JoinError, JoinHandle};

use super::scheduler::Scheduler;
use crate::error::{ErrorGroup, Failure, TaskError, TaskName, panic_message};
use crate::group::{OrphanScope, child_ended, hand_over_task};
use crate::observe::{OnRuntime, default_slow_poll, next_group_id, spawn_observed};

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
    mode: Mode,
    scheduler: Scheduler<E>,
    /// Whether this pass polls the children's handles (see [`Signal`]).
    watch: bool,
    /// Grandchildren of nested groups dropped inside the children.
    orphans: OrphanScope,
    /// Shown in the children's tracing spans.
    id: u64,
    slow_poll: Option<Duration>,
    /// Failures of children that ended while being aborted after the first.
    late: Vec<Failure<E>>,
}

/// When the children wake the gather: when the last one ends, at a failure
/// (fail-fast), or at every end when a `limit` must admit the next. The
/// gather polls the handles only then, so it runs once for a gather that
/// succeeds, as a loop awaiting each `JoinHandle` in turn would, rather than
/// once per child.
pub(crate) struct Signal {
    unfinished: AtomicUsize,
    failed: AtomicBool,
    waker: AtomicWaker,
    fail_fast: bool,
    every_end: bool,
}

impl Signal {
    /// A child ended, in `failure` or not.
    pub(crate) fn ended(&self, failure: bool) {
        if failure && self.fail_fast {
            self.failed.store(true, SeqCst);
        }
        let last = self.unfinished.fetch_sub(1, SeqCst) == 1;
        if last || self.every_end || (failure && self.fail_fast) {
            self.waker.wake();
        }
    }

    /// Whether the handles may hold news. Registers `cx` first, so an end
    /// signalled after this check wakes it.
    fn news(&self, cx: &Context<'_>) -> bool {
        self.waker.register(cx.waker());
        self.every_end || self.failed.load(SeqCst) || self.unfinished.load(SeqCst) == 0
    }
}

pin_project_lite::pin_project! {
    /// A child that tells the gather's [`Signal`] when it ends, through the
    /// registry it runs in (see [`OrphanScope::run`]). (Its handle may not
    /// be ready yet when the gather wakes: then it is polled with the
    /// gather's waker, which the handle wakes.)
    struct Signalled<Fut> {
        #[pin]
        child: Fut,
    }
}

impl<Fut, T, Err> Future for Signalled<Fut>
where
    Fut: Future<Output = Result<T, TaskError<Err>>>,
{
    type Output = Fut::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Fut::Output> {
        let outcome = ready!(self.project().child.poll(cx));
        child_ended(outcome.is_err());
        Poll::Ready(outcome)
    }
}

/// One argument of a spawning `gather!`.
pub struct SpawnedArg<Fut, T: Send + 'static, Err: Send + 'static> {
    state: Spawned<Fut, Result<T, TaskError<Err>>>,
}

enum Spawned<Fut, O> {
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
    fn take_failure(&mut self) -> Option<TaskError<Err>> {
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
        if let Spawned::Running(handle) = mem::replace(&mut self.state, Spawned::Taken) {
            hand_over_task(handle);
        }
    }
}

/// Aborts the argument's child if it still runs; `Ready` with its outcome
/// once it has ended (`None` when it was not running).
fn poll_stopped<Fut, T: Send + 'static, Err: Send + 'static>(
    arg: &mut SpawnedArg<Fut, T, Err>,
    cx: &mut Context<'_>,
) -> Poll<Option<Result<T, TaskError<Err>>>> {
    let Spawned::Running(handle) = &mut arg.state else {
        return Poll::Ready(None);
    };
    handle.abort();
    let result = ready!(Pin::new(handle).poll(cx));
    arg.state = Spawned::Taken;
    Poll::Ready(Some(joined(result)))
}

/// How a child's `JoinHandle` ended, as its outcome.
fn joined<T, Err>(
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
    pub(crate) fn with(
        arity: usize,
        mode: Mode,
        limit: Option<usize>,
        timeout: Option<Duration>,
        slow_poll: Option<Duration>,
    ) -> Self {
        Spawner {
            mode,
            scheduler: Scheduler::new(limit, timeout),
            watch: true,
            orphans: OrphanScope::new(Signal {
                unfinished: AtomicUsize::new(arity),
                failed: AtomicBool::new(false),
                waker: AtomicWaker::new(),
                fail_fast: mode == Mode::FailFast,
                every_end: limit.is_some(),
            }),
            id: next_group_id(),
            slow_poll,
            late: Vec::new(),
        }
    }

    /// Starts one pass over the arguments.
    pub fn begin(&mut self, cx: &Context<'_>) {
        self.scheduler.begin();
        self.watch = self.orphans.signal().news(cx);
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
            ..
        } = self;
        scheduler.step(arg.is_done(), index, || {
            if let Spawned::Waiting(_) = arg.state {
                let Spawned::Waiting(future) = mem::replace(&mut arg.state, Spawned::Taken) else {
                    unreachable!("matched just above")
                };
                let name = TaskName::seq(index);
                let child = orphans.run(Signalled { child: future });
                arg.state =
                    Spawned::Running(spawn_observed(OnRuntime, child, *id, &name, *slow_poll));
            }
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
            Spawned::Running(mut handle) => match (&mut handle).now_or_never() {
                // It ended before the deadline, but no pass has polled it
                // since (the gather only watches handles on a signal).
                Some(result) => joined(result),
                None => {
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
        if let Some(Err(error)) = ready!(poll_stopped(arg, cx))
            && !error.is_cancelled()
        {
            self.late.push(Failure::new(TaskName::seq(index), error));
        }
        Poll::Ready(())
    }

    /// [`poll_stop`](Self::poll_stop) in settled mode: the outcome was
    /// already taken (the argument timed out), so it is dropped.
    pub fn poll_stop_settled<Fut, T: Send + 'static, Err: Send + 'static>(
        &mut self,
        arg: &mut SpawnedArg<Fut, T, Err>,
        cx: &mut Context<'_>,
    ) -> Poll<()> {
        poll_stopped(arg, cx).map(drop)
    }

    /// Ready once every grandchild handed over by a dropped nested group has ended.
    pub fn poll_orphans(&self, cx: &mut Context<'_>) -> Poll<()> {
        self.orphans.poll_drain(cx)
    }

    /// The gather's result, with the failures of children that ended while
    /// being aborted added after the first.
    /// The outcomes of a settled gather, once every child and orphan has ended.
    pub fn finish_settled<R>(self, outcomes: R) -> R {
        self.orphans.ended();
        outcomes
    }

    /// Called once every child and orphan has ended.
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

    /// One pass over a list of arguments of one type (`gather_all`,
    /// `gather_settled`): polls the running ones when the children signalled
    /// news, starts the next ones as `limit` allows, and ends as
    /// [`end`](Self::end) does. Only running arguments are visited, so a
    /// pass costs what is running, not the whole list.
    pub(crate) fn poll_list<Fut, T>(
        &mut self,
        args: &mut [SpawnedArg<Fut, T, E>],
        progress: &mut ListProgress,
        cx: &mut Context<'_>,
    ) -> Poll<Result<(), ErrorGroup<E>>>
    where
        Fut: Future<Output = Result<T, TaskError<E>>> + Send + 'static,
        T: Send + 'static,
    {
        self.begin(cx);
        if self.watch || progress.sweep.is_some() {
            // A sweep of the running arguments resumes where the last pass
            // stopped: every poll of a `JoinHandle` spends tokio's
            // cooperative budget, so a sweep of thousands is cut into passes,
            // and restarting each from the front would be quadratic.
            let mut i = progress.sweep.take().unwrap_or(0);
            while let Some(&index) = progress.live.get(i) {
                if !tokio::task::coop::has_budget_remaining() {
                    progress.sweep = Some(i);
                    self.scheduler.still_running();
                    cx.waker().wake_by_ref();
                    return Poll::Pending;
                }
                if let Err(failure) = self.poll_listed(&mut args[index], cx, index) {
                    return Poll::Ready(Err(failure));
                }
                if args[index].is_done() {
                    progress.live.swap_remove(i);
                } else {
                    i += 1;
                }
            }
        } else if !progress.live.is_empty() {
            self.scheduler.still_running();
        }
        while let Some(arg) = args.get_mut(progress.next) {
            if !self.scheduler.has_room() {
                self.scheduler.still_running();
                break;
            }
            let index = progress.next;
            progress.next += 1;
            if let Err(failure) = self.poll_listed(arg, cx, index) {
                return Poll::Ready(Err(failure));
            }
            if !arg.is_done() {
                progress.live.push(index);
            }
        }
        self.end(cx)
    }

    /// Polls one listed argument as the mode says.
    fn poll_listed<Fut, T>(
        &mut self,
        arg: &mut SpawnedArg<Fut, T, E>,
        cx: &mut Context<'_>,
        index: usize,
    ) -> Result<(), ErrorGroup<E>>
    where
        Fut: Future<Output = Result<T, TaskError<E>>> + Send + 'static,
        T: Send + 'static,
    {
        let index = index as u64;
        match self.mode {
            Mode::FailFast => self.poll(arg, cx, index),
            Mode::Settle => {
                self.step(arg, cx, index);
                Ok(())
            }
            Mode::Supervise => {
                self.step(arg, cx, index);
                if let Some(error) = arg.take_failure() {
                    self.late.push(Failure::new(TaskName::seq(index), error));
                }
                Ok(())
            }
        }
    }

    /// Aborts the listed arguments still running and waits for them, in
    /// order from `progress.stopped` (so each wake-up resumes where the
    /// last one stopped, not from the start), then for the orphans.
    pub(crate) fn poll_stop_list<Fut, T>(
        &mut self,
        args: &mut [SpawnedArg<Fut, T, E>],
        progress: &mut ListProgress,
        cx: &mut Context<'_>,
    ) -> Poll<()>
    where
        T: Send + 'static,
    {
        if progress.stopped == 0 {
            // Abort them all first, so they end side by side.
            for arg in args.iter_mut() {
                if let Spawned::Running(handle) = &arg.state {
                    handle.abort();
                }
            }
        }
        while let Some(arg) = args.get_mut(progress.stopped) {
            let index = progress.stopped as u64;
            match self.mode {
                Mode::Settle => ready!(self.poll_stop_settled(arg, cx)),
                Mode::FailFast | Mode::Supervise => ready!(self.poll_stop(arg, cx, index)),
            }
            progress.stopped += 1;
        }
        self.poll_orphans(cx)
    }

    /// The outcome of every listed argument, in order.
    pub(crate) fn take_list<Fut, T>(
        &self,
        args: &mut [SpawnedArg<Fut, T, E>],
    ) -> Vec<Result<T, TaskError<E>>>
    where
        T: Send + 'static,
    {
        args.iter_mut().map(|arg| self.take_settled(arg)).collect()
    }

    /// The values of the listed arguments that succeeded, in order (all of
    /// them when the list ended without a failure).
    pub(crate) fn take_values<Fut, T>(&self, args: &mut [SpawnedArg<Fut, T, E>]) -> Vec<T>
    where
        T: Send + 'static,
    {
        args.iter_mut()
            .filter_map(|arg| match mem::replace(&mut arg.state, Spawned::Taken) {
                Spawned::Done(Ok(value)) => Some(value),
                _ => None,
            })
            .collect()
    }
}

/// Where a list of arguments stands between passes.
#[derive(Default)]
pub(crate) struct ListProgress {
    /// The next argument to start: those before it started, in order.
    next: usize,
    /// Started and not ended.
    live: Vec<usize>,
    /// Where in `live` an unfinished sweep goes on.
    sweep: Option<usize>,
    /// Arguments seen ended while stopping.
    stopped: usize,
}
