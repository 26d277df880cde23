//! The in-place scheduler of `gather!`: which argument may run (`limit`),
//! the deadline, and when the gather is done. Shared by both modes: with
//! `local` an argument is polled where it is, otherwise it is a spawned
//! child whose handle is polled (see [`super::spawned`]).

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_util::future::MaybeDone;
use tokio::time::Sleep;

use crate::error::{ErrorGroup, Failure, TaskError, TaskName};

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
    timeout: Option<Duration>,
    deadline: Option<Pin<Box<Sleep>>>,
    timed_out: bool,
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
            timeout,
            deadline: None,
            timed_out: false,
            _error: PhantomData,
        }
    }

    /// Starts one pass over the arguments.
    pub fn begin(&mut self) {
        self.pending = false;
        if let (Some(after), None) = (self.timeout, &self.deadline) {
            self.deadline = Some(Box::pin(tokio::time::sleep(after)));
        }
    }

    /// Whether argument `index` may be polled: it already started, or it
    /// starts now because fewer than `limit` arguments are running.
    /// Arguments start in order, so the started ones are a prefix.
    fn admit(&mut self, index: u64) -> bool {
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

    /// Runs one step of an unfinished argument (`done` tells whether it
    /// finished already) if it is admitted; `true` when it finished now.
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
                self.running -= 1;
                true
            }
        }
    }

    /// Ends a pass: `Ready(Ok)` when every argument is done, `Ready(Err)` at
    /// the deadline (fail-fast mode), `Pending` otherwise.
    pub fn end(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), ErrorGroup<E>>> {
        if !self.pending {
            return Poll::Ready(Ok(()));
        }
        if let (Some(timer), Some(after)) = (self.deadline.as_mut(), self.timeout) {
            if timer.as_mut().poll(cx).is_ready() {
                self.timed_out = true;
                return Poll::Ready(Err(one_failure(
                    TaskName::named("deadline"),
                    TaskError::TimedOut(after),
                )));
            }
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
        match (self.timed_out, self.timeout) {
            (true, Some(after)) => TaskError::TimedOut(after),
            _ => TaskError::Cancelled,
        }
    }

    /// Polls a `gather!(local; ..)` argument in place if it runs or may
    /// start; `Err` when it failed (fail-fast: the caller returns at once,
    /// dropping the others).
    pub fn poll<Fut, T>(
        &mut self,
        mut arg: Pin<&mut MaybeDone<Fut>>,
        cx: &mut Context<'_>,
        index: u64,
    ) -> Result<(), ErrorGroup<E>>
    where
        Fut: Future<Output = Result<T, TaskError<E>>>,
    {
        let done = arg.as_mut().output_mut().is_some();
        if self.step(done, index, || arg.as_mut().poll(cx))
            && matches!(arg.as_mut().output_mut(), Some(Err(_)))
        {
            if let Some(Err(error)) = arg.take_output() {
                return Err(one_failure(TaskName::seq(index), error));
            }
        }
        Ok(())
    }

    /// Polls a `gather!(local, settled; ..)` argument: an error is its
    /// outcome, kept.
    pub fn poll_settled<Fut: Future>(
        &mut self,
        mut arg: Pin<&mut MaybeDone<Fut>>,
        cx: &mut Context<'_>,
        index: u64,
    ) {
        let done = arg.as_mut().output_mut().is_some();
        self.step(done, index, || arg.as_mut().poll(cx));
    }

    /// The value of a finished `local` argument (fail-fast: it succeeded).
    pub fn take<Fut, T>(&self, arg: Pin<&mut MaybeDone<Fut>>) -> T
    where
        Fut: Future<Output = Result<T, TaskError<E>>>,
    {
        match arg.take_output() {
            Some(Ok(value)) => value,
            // `end` returned `Ready(Ok)` only when every argument succeeded.
            _ => unreachable!("gather!: argument taken before it succeeded"),
        }
    }

    /// The outcome of a `local` argument in settled mode.
    pub fn take_settled<Fut, T, Err>(
        &self,
        arg: Pin<&mut MaybeDone<Fut>>,
    ) -> Result<T, TaskError<Err>>
    where
        Fut: Future<Output = Result<T, TaskError<Err>>>,
    {
        arg.take_output().unwrap_or_else(|| Err(self.unfinished()))
    }
}

/// An error group of one failure.
pub(super) fn one_failure<E>(task: TaskName, error: TaskError<E>) -> ErrorGroup<E> {
    ErrorGroup::from_failures(vec![Failure::new(task, error)])
        .unwrap_or_else(|| unreachable!("one failure makes a non-empty group"))
}
