//! [`Arg`]: one `gather!` argument, from its future to its outcome.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use crate::error::TaskError;
use crate::panic::poll_then_drop;

pin_project_lite::pin_project! {
    /// One `gather!` argument: its future until it ends, then its outcome.
    /// A panic (in `poll` or in the future's destructor) becomes
    /// `TaskError::Panicked`, an `Err` converted by `convert` becomes
    /// `TaskError::Failed`. Polled in place (`local`) or as a spawned
    /// child's whole future.
    ///
    /// Every type is a parameter and `convert` a plain `fn` over `O`, the
    /// future's output, not a projection of `F`: the type then needs no
    /// bound where it is used, so an argument of the wrong type is one error,
    /// at the argument, and the type is `Send` whenever `F`, `O`, `T` and `E`
    /// are. (A hand-written state machine rather than `MaybeDone` over
    /// combinators, so the whole poll inlines into the macro's loop.)
    // States of a type only the macros' expansions name (`__private`).
    #[allow(missing_docs)]
    #[project = ArgProj]
    #[project_replace = ArgOwned]
    pub enum Arg<F, O, T, E> {
        Running { #[pin] future: F, convert: fn(O) -> Result<T, E> },
        Ended { outcome: Result<T, TaskError<E>> },
        Taken,
    }
}

impl<F, O, T, E> Arg<F, O, T, E>
where
    F: Future<Output = O>,
{
    pub(crate) fn new(future: F, convert: fn(O) -> Result<T, E>) -> Self {
        Arg::Running { future, convert }
    }

    /// Polls the future if it still runs; `Ready` once it has ended.
    #[inline(always)]
    pub(crate) fn poll_end(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if !matches!(*self, Arg::Running { .. }) {
            return Poll::Ready(());
        }
        let ended = ready!(poll_then_drop(
            self.as_mut(),
            |arg| match arg.project() {
                ArgProj::Running { future, convert } =>
                    future.poll(cx).map(|output| (output, *convert)),
                _ => Poll::Pending,
            },
            |arg| {
                arg.project_replace(Arg::Taken);
            },
        ));
        let outcome = match ended {
            Ok((output, convert)) => convert(output).map_err(TaskError::Failed),
            Err(message) => Err(TaskError::Panicked(message)),
        };
        self.set(Arg::Ended { outcome });
        Poll::Ready(())
    }

    /// One poll with no `catch_unwind` of its own, for a pass that catches
    /// panics once for all its arguments ([`LocalPass`](super::LocalPass)),
    /// the output converted by `convert` (statically known there, unlike the
    /// stored `fn`, so the whole poll inlines and folds). Once the future
    /// ends its outcome is stored in its place, which drops it: `Ready(true)`
    /// for a value, `Ready(false)` for an error. A panic (in the poll or in
    /// that destructor) unwinds to the caller's catch; the outcome is stored
    /// all the same (an assignment completes even when the old value's
    /// destructor panics).
    #[inline(always)]
    pub(crate) fn poll_uncaught(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        convert: impl FnOnce(O) -> Result<T, E>,
    ) -> Poll<bool> {
        let ArgProj::Running { future, .. } = self.as_mut().project() else {
            return Poll::Ready(true);
        };
        let outcome = convert(ready!(future.poll(cx))).map_err(TaskError::Failed);
        let succeeded = outcome.is_ok();
        self.set(Arg::Ended { outcome });
        Poll::Ready(succeeded)
    }

    /// The value of an argument that succeeded (the caller knows it did:
    /// its pass ended with every argument's value).
    #[inline(always)]
    pub(crate) fn take_value(self: Pin<&mut Self>) -> T {
        match self.take() {
            Some(Ok(value)) => value,
            _ => unreachable!("gather!: argument taken before it succeeded"),
        }
    }

    /// Drops the future or the outcome, uncaught (the caller catches).
    #[inline(always)]
    pub(crate) fn discard(mut self: Pin<&mut Self>) {
        self.set(Arg::Taken);
    }

    /// Whether the argument has ended (its outcome may be taken already).
    #[inline(always)]
    pub(crate) fn has_ended(&self) -> bool {
        !matches!(self, Arg::Running { .. })
    }

    /// Whether the argument ended in an error.
    #[inline(always)]
    pub(super) fn ended_in_error(&self) -> bool {
        matches!(self, Arg::Ended { outcome: Err(_) })
    }

    /// The outcome, once; `None` while running or once taken.
    #[inline(always)]
    pub(crate) fn take(self: Pin<&mut Self>) -> Option<Result<T, TaskError<E>>> {
        if !matches!(*self, Arg::Ended { .. }) {
            return None;
        }
        match self.project_replace(Arg::Taken) {
            ArgOwned::Ended { outcome } => Some(outcome),
            _ => None,
        }
    }
}

/// As a spawned child's future: the outcome.
impl<F, O, T, E> Future for Arg<F, O, T, E>
where
    F: Future<Output = O>,
{
    type Output = Result<T, TaskError<E>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        ready!(self.as_mut().poll_end(cx));
        match self.take() {
            Some(outcome) => Poll::Ready(outcome),
            // Polled again after its outcome was taken: it never is.
            None => Poll::Pending,
        }
    }
}
