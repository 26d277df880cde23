//! The in-place scheduler of `gather!`: which argument may run (`limit`),
//! the deadline, and when the gather is done. Shared by both modes: with
//! `local` an argument is polled where it is, otherwise it is a spawned
//! child whose handle is polled (see [`super::spawned`]).

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use super::arg::Arg;
use crate::deadline::Deadline;
use crate::error::{DEADLINE_NAME, ErrorGroup, Failure, TaskError, TaskName};

/// Polls the arguments of a `gather!`: admission under `limit`, the
/// deadline, and fail-fast. `E` is the gather's error type (`Infallible`
/// when settled: nothing fails then).
pub struct Scheduler<E> {
    limit: usize,
    /// Arguments started so far: always a prefix, they start in order.
    started: usize,
    running: usize,
    /// Some admitted argument is unfinished, or some is waiting for a turn.
    pending: bool,
    deadline: Deadline,
    _error: PhantomData<fn() -> E>,
}

impl<E> Scheduler<E> {
    /// A scheduler for one `gather!`; the deadline starts at its first poll.
    pub fn new(limit: Option<usize>, timeout: Option<Duration>) -> Self {
        Scheduler {
            limit: limit.unwrap_or(usize::MAX).max(1),
            started: 0,
            running: 0,
            pending: false,
            deadline: Deadline::new(timeout),
            _error: PhantomData,
        }
    }

    /// Starts one pass over the arguments.
    #[inline(always)]
    pub fn begin(&mut self) {
        self.pending = false;
        self.deadline.start();
    }

    /// Whether argument `index` may be polled: it already started, or it
    /// starts now because fewer than `limit` arguments are running.
    /// Arguments start in order, so the started ones are a prefix.
    #[inline(always)]
    fn admit(&mut self, index: u64) -> bool {
        if self.limit == usize::MAX {
            return true; // no limit: nothing to count
        }
        let position = usize::try_from(index).unwrap_or(usize::MAX);
        if position < self.started {
            return true;
        }
        if self.running >= self.limit {
            self.pending = true;
            return false;
        }
        self.started += 1;
        self.running += 1;
        true
    }

    /// At most this many arguments run at once.
    pub(super) fn limit(&self) -> usize {
        self.limit
    }

    /// Some argument is still running though this pass did not poll it.
    pub(super) fn still_running(&mut self) {
        self.pending = true;
    }

    /// Runs one step of an unfinished argument (`done` tells whether it
    /// finished already) if it is admitted; `true` when it finished now.
    #[inline(always)]
    pub(super) fn step(&mut self, done: bool, index: u64, poll: impl FnOnce() -> Poll<()>) -> bool {
        if done || !self.admit(index) {
            return false;
        }
        match poll() {
            Poll::Pending => {
                self.pending = true;
                false
            }
            Poll::Ready(()) => {
                self.running = self.running.saturating_sub(1);
                true
            }
        }
    }

    /// Ends a pass: `Ready(Ok)` when every argument is done, `Ready(Err)` at
    /// the deadline (fail-fast mode), `Pending` otherwise.
    #[inline(always)]
    pub fn end(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), ErrorGroup<E>>> {
        if !self.pending {
            return Poll::Ready(Ok(()));
        }
        if self.deadline.poll_passed(cx)
            && let Some(error) = self.deadline.timed_out()
        {
            return Poll::Ready(Err(one_failure(TaskName::named(DEADLINE_NAME), error)));
        }
        Poll::Pending
    }

    /// Ends a pass in settled mode: `Ready` when every argument is done or
    /// the deadline passed (unfinished arguments then report `TimedOut`).
    pub fn end_settled(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        self.end(cx).map(|_| ())
    }

    /// The outcome of an argument that never finished: it timed out, or
    /// (should the gather end otherwise) it was cancelled.
    pub(super) fn unfinished<Err>(&self) -> TaskError<Err> {
        self.deadline.timed_out().unwrap_or(TaskError::Cancelled)
    }

    /// Polls a `gather!(local; ..)` argument in place if it runs or may
    /// start; `Err` when it failed (fail-fast: the caller returns at once,
    /// dropping the others).
    #[inline(always)]
    pub fn poll<F, O, T>(
        &mut self,
        mut arg: Pin<&mut Arg<F, O, T, E>>,
        cx: &mut Context<'_>,
        index: u64,
    ) -> Result<(), ErrorGroup<E>>
    where
        F: Future<Output = O>,
    {
        if self.step(arg.has_ended(), index, || arg.as_mut().poll_end(cx))
            && arg.ended_in_error()
            && let Some(Err(error)) = arg.take()
        {
            return Err(one_failure(TaskName::seq(index), error));
        }
        Ok(())
    }

    /// Polls a `gather!(local, settled; ..)` argument: an error is its
    /// outcome, kept.
    #[inline(always)]
    pub fn poll_settled<F, O, T, Err>(
        &mut self,
        mut arg: Pin<&mut Arg<F, O, T, Err>>,
        cx: &mut Context<'_>,
        index: u64,
    ) where
        F: Future<Output = O>,
    {
        self.step(arg.has_ended(), index, || arg.as_mut().poll_end(cx));
    }

    /// The value of a finished `local` argument (fail-fast: it succeeded).
    #[inline(always)]
    pub fn take<F, O, T>(&self, arg: Pin<&mut Arg<F, O, T, E>>) -> T
    where
        F: Future<Output = O>,
    {
        // `end` returned `Ready(Ok)` only when every argument succeeded.
        arg.take_value()
    }

    /// The outcome of a `local` argument in settled mode.
    #[inline(always)]
    pub fn take_settled<F, O, T, Err>(
        &self,
        arg: Pin<&mut Arg<F, O, T, Err>>,
    ) -> Result<T, TaskError<Err>>
    where
        F: Future<Output = O>,
    {
        arg.take().unwrap_or_else(|| Err(self.unfinished()))
    }
}

/// An error group of one failure.
pub(super) fn one_failure<E>(task: TaskName, error: TaskError<E>) -> ErrorGroup<E> {
    ErrorGroup::from_failures(vec![Failure::new(task, error)])
        .unwrap_or_else(|| unreachable!("one failure makes a non-empty group"))
}
