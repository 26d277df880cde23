//! `gather!(local; ..)` written with no other option: the arguments polled
//! in place, one `catch_unwind` per pass over all of them, each value
//! stored once where its future was. No limit and no deadline, so no
//! [`Scheduler`](super::Scheduler) pass either; the macro generates the
//! pass for its arity (see [`LocalPass`]).

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::task::{Context, Poll};

use super::arg::Arg;
use crate::__private::ValueOf;
use crate::error::{ErrorGroup, Failure, TaskError, TaskName};
use crate::panic::{caught, drop_caught, panic_message};

/// The state of a `gather!(local; ..)` without options between its passes:
/// what the generated code needs to name a failure. `E` is the gather's
/// error type.
///
/// The expansion, per poll of the gather: [`run`](Self::run) with a closure
/// that calls [`poll`](Self::poll) on each argument in input order and
/// returns at the first `Err`; then, when every argument succeeded,
/// [`take`](Self::take) of each value, or after a failure
/// [`cancel`](Self::cancel) of each argument and [`error`](Self::error).
pub struct LocalPass<E> {
    /// The argument being polled: a panic the pass catches is its failure.
    current: u64,
    /// Some argument was pending in this pass.
    pending: bool,
    /// The argument that failed, once one has.
    failed: u64,
    /// The failure, then the panics of the others' destructors.
    failures: Vec<Failure<E>>,
}

/// A pass stopped at a failure, which the [`LocalPass`] holds.
#[derive(Debug)]
pub struct Stopped;

impl<E> Default for LocalPass<E> {
    fn default() -> Self {
        LocalPass {
            current: 0,
            pending: false,
            failed: 0,
            failures: Vec::new(),
        }
    }
}

impl<E> LocalPass<E> {
    /// Runs one pass: `pass` polls every unfinished argument. `Ready(Ok)`
    /// once every argument has its value, `Ready(Err)` at the first failure
    /// (an `Err`, or a panic in an argument's poll or destructor, named by
    /// the argument being polled), `Pending` while some argument is.
    #[inline(always)]
    pub fn run(
        &mut self,
        pass: impl FnOnce(&mut Self) -> Result<(), Stopped>,
    ) -> Poll<Result<(), Stopped>> {
        self.pending = false;
        match catch_unwind(AssertUnwindSafe(|| pass(self))) {
            Ok(Ok(())) if self.pending => Poll::Pending,
            Ok(Ok(())) => Poll::Ready(Ok(())),
            Ok(Err(Stopped)) => Poll::Ready(Err(Stopped)),
            Err(payload) => {
                // A destructor panicking after its future returned `Err`:
                // the panic is the argument's failure, the error dropped.
                if let Some(error) = self.failures.pop() {
                    let _ = drop_caught(error);
                }
                self.fail(TaskError::Panicked(panic_message(&*payload)));
                Poll::Ready(Err(Stopped))
            }
        }
    }

    /// Polls argument `index` in place if it still runs. Its future is
    /// dropped as soon as it ends; `Err` when it failed (the pass returns it
    /// at once).
    #[inline(always)]
    pub fn poll<F, O, T>(
        &mut self,
        mut arg: Pin<&mut Arg<F, O, T, E>>,
        cx: &mut Context<'_>,
        index: u64,
    ) -> Result<(), Stopped>
    where
        F: Future<Output = O>,
        T: ValueOf<O, E>,
    {
        self.current = index;
        match arg.as_mut().poll_uncaught(cx, T::from_output) {
            Poll::Pending => {
                self.pending = true;
                Ok(())
            }
            Poll::Ready(Ok(())) => Ok(()),
            Poll::Ready(Err(error)) => {
                self.fail(TaskError::Failed(error));
                // Kept first: a panic in this destructor replaces it in `run`.
                arg.discard();
                Err(Stopped)
            }
        }
    }

    fn fail(&mut self, error: TaskError<E>) {
        self.failed = self.current;
        self.failures
            .push(Failure::new(TaskName::seq(self.current), error));
    }

    /// The value of an argument once [`run`](Self::run) returned
    /// `Ready(Ok)`: every argument has one then.
    #[inline(always)]
    pub fn take<F, O, T>(&self, arg: Pin<&mut Arg<F, O, T, E>>) -> T
    where
        F: Future<Output = O>,
    {
        match arg.take() {
            Some(Ok(value)) => value,
            _ => unreachable!("gather!: argument taken before it succeeded"),
        }
    }

    /// After a failure, drops argument `index` (its future, or the value it
    /// made): a panic in that destructor is the argument's failure, a member
    /// of the error (the failed argument's own second panic is dropped).
    pub fn cancel<F, O, T>(&mut self, arg: Pin<&mut Arg<F, O, T, E>>, index: u64)
    where
        F: Future<Output = O>,
    {
        if let Some(message) = caught(|| arg.discard())
            && index != self.failed
        {
            self.failures.push(Failure::new(
                TaskName::seq(index),
                TaskError::Panicked(message),
            ));
        }
    }

    /// The error once [`run`](Self::run) returned `Ready(Err)` and every
    /// argument was [cancelled](Self::cancel): the failure first, then the
    /// others' destructor panics in input order.
    pub fn error(&mut self) -> ErrorGroup<E> {
        ErrorGroup::from_failures(std::mem::take(&mut self.failures))
            .unwrap_or_else(|| unreachable!("gather!: an error asked for without a failure"))
    }
}
