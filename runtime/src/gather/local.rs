//! `gather!(local; ..)` written with no other option: the arguments polled
//! in place, one `catch_unwind` per pass over all of them, each outcome
//! stored once where its future was. No limit and no deadline, so no
//! [`Scheduler`](super::Scheduler) pass either, and no `async` block: the
//! macro builds a [`LocalGather`] whose pass it generates for its arity.

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::task::{Context, Poll};

use super::arg::Arg;
use crate::error::{ErrorGroup, Failure, TaskError, TaskName};
use crate::panic::{caught, panic_message};

pin_project_lite::pin_project! {
    /// The future of a `gather!(local; ..)` with no other option: the
    /// checked arguments `args` (a [`Cons`] list, pinned where they are) and
    /// `poll`, the pass the macro generates for its arity. (A struct rather
    /// than an `async` block: the arguments are moved into it once and never
    /// again.)
    #[must_use = "futures do nothing unless you `.await` or poll them"]
    pub struct LocalGather<A, P> {
        #[pin]
        args: A,
        pass: LocalPass,
        poll: P,
    }
}

impl<A, P, R> LocalGather<A, P>
where
    P: FnMut(&mut LocalPass, Pin<&mut A>, &mut Context<'_>) -> Poll<R>,
{
    /// The gather of `args`, polled by `poll`.
    #[inline(always)]
    pub fn new(args: A, poll: P) -> Self {
        LocalGather {
            args,
            pass: LocalPass::default(),
            poll,
        }
    }
}

impl<A, P, R> Future for LocalGather<A, P>
where
    P: FnMut(&mut LocalPass, Pin<&mut A>, &mut Context<'_>) -> Poll<R>,
{
    type Output = R;

    #[inline(always)]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<R> {
        let this = self.project();
        (this.poll)(this.pass, this.args, cx)
    }
}

pin_project_lite::pin_project! {
    /// A list of arguments the generated pass can pin-project: the first,
    /// `head`, and the rest, `tail` (the last one's tail is `()`).
    pub struct Cons<H, T> {
        #[pin]
        head: H,
        #[pin]
        tail: T,
    }
}

impl<H, T> Cons<H, T> {
    /// `head` in front of `tail`.
    #[inline(always)]
    pub fn new(head: H, tail: T) -> Self {
        Cons { head, tail }
    }

    /// The first argument and the rest, each pinned in place.
    #[inline(always)]
    pub fn split(self: Pin<&mut Self>) -> (Pin<&mut H>, Pin<&mut T>) {
        let this = self.project();
        (this.head, this.tail)
    }
}

/// What a pass needs to name a failure: the argument being polled (a panic
/// the pass catches is its failure) and whether some argument is pending.
#[derive(Debug, Default)]
pub struct LocalPass {
    current: u64,
    pending: bool,
}

/// A pass stopped at an argument's `Err` (stored in the argument's place).
#[derive(Debug)]
pub struct Stopped;

impl LocalPass {
    /// Runs one pass: `pass` calls [`poll`](Self::poll) on every argument in
    /// input order and returns at the first `Err`. `Ready(Ok)` once every
    /// argument has its value, `Ready(Err)` at the first failure (an `Err`,
    /// or a panic in an argument's poll or destructor, which is the
    /// argument's being polled), `Pending` while some argument is.
    #[inline(always)]
    pub fn run<E>(
        &mut self,
        pass: impl FnOnce(&mut Self) -> Result<(), Stopped>,
    ) -> Poll<Result<(), Stop<E>>> {
        self.pending = false;
        let panic = match catch_unwind(AssertUnwindSafe(|| pass(self))) {
            Ok(Ok(())) if self.pending => return Poll::Pending,
            Ok(Ok(())) => return Poll::Ready(Ok(())),
            Ok(Err(Stopped)) => None,
            Err(payload) => Some(panic_message(&*payload)),
        };
        Poll::Ready(Err(Stop {
            failed: self.current,
            panic,
            first: None,
            late: Vec::new(),
        }))
    }

    /// Polls argument `index` in place if it still runs. Its future is
    /// dropped as soon as it ends, its outcome stored there; `Err` when it
    /// failed (the pass returns it at once).
    #[inline(always)]
    pub fn poll<F, O, T, E>(
        &mut self,
        arg: Pin<&mut Arg<F, O, T, E>>,
        cx: &mut Context<'_>,
        index: u64,
    ) -> Result<(), Stopped>
    where
        F: Future<Output = O>,
        T: ValueOf<O, E>,
    {
        self.current = index;
        match arg.poll_uncaught(cx, T::from_output) {
            Poll::Pending => {
                self.pending = true;
                Ok(())
            }
            Poll::Ready(true) => Ok(()),
            Poll::Ready(false) => Err(Stopped),
        }
    }

    /// The value of an argument once [`run`](Self::run) returned
    /// `Ready(Ok)`: every argument has one then.
    #[inline(always)]
    pub fn take<F, O, T, E>(&self, arg: Pin<&mut Arg<F, O, T, E>>) -> T
    where
        F: Future<Output = O>,
    {
        arg.take_value()
    }
}

/// A pass stopped at a failure: collects the error while the arguments are
/// [cancelled](Self::cancel).
#[derive(Debug)]
pub struct Stop<E> {
    failed: u64,
    /// The panic that stopped the pass, if one did.
    panic: Option<String>,
    /// The failure, once its argument is cancelled.
    first: Option<Failure<E>>,
    /// The others' destructor panics, in input order.
    late: Vec<Failure<E>>,
}

impl<E> Stop<E> {
    /// Drops argument `index` (its future, or the outcome it made). The
    /// failed one gives the failure (a panic in its destructor after its
    /// poll panicked is dropped); for any other a panic in that destructor is
    /// its failure too, a member of the error.
    pub fn cancel<F, O, T>(&mut self, mut arg: Pin<&mut Arg<F, O, T, E>>, index: u64)
    where
        F: Future<Output = O>,
    {
        if index == self.failed {
            let error = match self.panic.take() {
                // Its outcome, if stored, is dropped with its future.
                Some(message) => {
                    let _ = caught(|| arg.discard());
                    TaskError::Panicked(message)
                }
                None => match arg.as_mut().take() {
                    Some(Err(error)) => error,
                    _ => unreachable!("gather!: a pass stopped without a failure"),
                },
            };
            self.first = Some(Failure::new(TaskName::seq(index), error));
        } else if let Some(message) = caught(|| arg.discard()) {
            self.late.push(Failure::new(
                TaskName::seq(index),
                TaskError::Panicked(message),
            ));
        }
    }

    /// The error once every argument was [cancelled](Self::cancel): the
    /// failure first, then the others' destructor panics in input order.
    pub fn error(self) -> ErrorGroup<E> {
        let failures: Vec<Failure<E>> = self.first.into_iter().chain(self.late).collect();
        ErrorGroup::from_failures(failures)
            .unwrap_or_else(|| unreachable!("gather!: an error asked for without a failure"))
    }
}

/// `Self` is the value of `O`, a `Result<Self, E>`: how a
/// `gather!(local; ..)` pass converts an argument's output with no stored
/// `fn` (so the conversion inlines). A bound on the value rather than on
/// `O`: after a wrong argument's check has failed, the value's type is
/// unknown, so this bound is left undecided instead of failing a second time
/// (one mistake, one error; only when the value's type is fixed elsewhere,
/// e.g. by a typed `let`, does this bound fail too, in the same words).
#[diagnostic::on_unimplemented(
    message = "every `gather!` argument must be a future of `Result<_, {E}>` (the first argument's error type), but this one resolves to `{O}`",
    label = "expected `Result<{Self}, {E}>`, found `{O}`"
)]
pub trait ValueOf<O, E>: Sized {
    /// The output as the gather's `Result`.
    fn from_output(output: O) -> Result<Self, E>;
}

impl<T, E> ValueOf<Result<T, E>, E> for T {
    #[inline(always)]
    fn from_output(output: Result<T, E>) -> Result<T, E> {
        output
    }
}
