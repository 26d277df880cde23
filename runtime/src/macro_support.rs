//! Items the macros' expansions name. Not a public API: no stability promise.
//!
//! Expansions name everything through `::taskgroup::__private::..` (or the
//! path given with `crate = ..`), so user items called `scope`, `Builder` or
//! `Ok` cannot change what they mean.
//!
//! - `gather!` (spawned): [`spawn_arg`] / [`spawn_settled`] start each
//!   argument as a child of a [`Builder::scope`] group.
//! - `gather!(local; ..)`: [`local_arg`] / [`local_settled_arg`] wrap each
//!   argument, [`Local`] schedules the in-place polling (limit, deadline,
//!   fail-fast), all generated per arity by the macro.
//! - `#[task_group]`: [`Builder::scope`] with the fn's body.
//!
//! The traits [`GatherOutput`] and [`SameError`] exist for their compile
//! errors: they say in words what an argument of the wrong type is.

use std::any::Any;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_util::FutureExt as _;
use futures_util::future::MaybeDone;
use tokio::time::{Instant, Sleep};

use crate::error::{Cancelled, ErrorGroup, Failure, TaskError, TaskName, panic_message};
use crate::group::TaskHandle;

pub use crate::error::SpawnError;
pub use crate::gather::settle;
pub use crate::group::Builder;
pub use crate::group::TaskGroup;
pub use std::convert::Infallible;
pub use std::future::poll_fn;
pub use std::option::Option::{None, Some};
pub use std::pin::pin;
pub use std::result::Result::{self, Err, Ok};
pub use std::task::Poll::{Pending, Ready};

/// Makes `timeout = EXPR` a type error at `EXPR` when it is not a `Duration`.
#[inline]
pub fn duration(after: Duration) -> Duration {
    after
}

/// What a `gather!` argument resolves to: a `Result`, any error type.
#[diagnostic::on_unimplemented(
    message = "a `gather!` argument must be a future of `Result<T, E>`, but this one resolves to `{Self}`",
    label = "resolves to `{Self}`, not a `Result`",
    note = "make it return a `Result`, e.g. `async {{ Ok::<_, MyError>(value) }}`"
)]
pub trait GatherOutput {
    /// The success value.
    type Ok;
    /// The error.
    type Err;
    /// The output as a plain `Result`.
    fn into_result(self) -> Result<Self::Ok, Self::Err>;
}

impl<T, E> GatherOutput for Result<T, E> {
    type Ok = T;
    type Err = E;
    #[inline]
    fn into_result(self) -> Result<T, E> {
        self
    }
}

/// A `gather!` argument whose error type is the group's `E`.
#[diagnostic::on_unimplemented(
    message = "every `gather!` argument must be a future of `Result<_, {E}>` (the first argument's error type), but this one resolves to `{Self}`",
    label = "expected `Result<_, {E}>`, found `{Self}`",
    note = "the first argument fixes the error type of the whole `gather!`; convert this one's error with `.map_err(..)` (or `?` in an `async` block), or use `gather!(settled; ..)`, whose results keep their own error types"
)]
pub trait SameError<E> {
    /// The success value.
    type Ok;
    /// The output as a `Result` with the group's error.
    fn into_result(self) -> Result<Self::Ok, E>;
}

impl<T, E> SameError<E> for Result<T, E> {
    type Ok = T;
    #[inline]
    fn into_result(self) -> Result<T, E> {
        self
    }
}

/// Ties the error type of every `gather!` argument to the first one's.
pub struct Errors<E>(std::marker::PhantomData<fn() -> E>);

impl<E> Errors<E> {
    /// A fresh witness; the first argument decides `E`.
    pub fn new() -> Self {
        Errors(std::marker::PhantomData)
    }
}

impl<E> Default for Errors<E> {
    fn default() -> Self {
        Errors::new()
    }
}

/// A `gather!` argument checked where it is written, not yet spawned.
///
/// Every requirement on the argument (a future of `Result<_, E>`, `Send`,
/// `'static`) is checked by the function that makes it, whose call carries
/// the argument's own tokens, so a wrong argument is one error, at it. The
/// box is one small allocation beside the task tokio allocates anyway.
pub struct SpawnArg<T, E> {
    future: Pin<Box<dyn Future<Output = Result<T, E>> + Send + 'static>>,
}

/// Checks the first `gather!` argument: a `Send + 'static` future of
/// `Result<T, E>`, which fixes the gather's error type `E`.
pub fn first_spawned_arg<F, T, E>(_errors: &Errors<E>, future: F) -> SpawnArg<T, E>
where
    F: Future + Send + 'static,
    F::Output: GatherOutput<Ok = T, Err = E>,
{
    SpawnArg {
        future: Box::pin(async move { future.await.into_result() }),
    }
}

/// Checks a later `gather!` argument: a `Send + 'static` future of
/// `Result<_, E>`, `E` being the first argument's error type. (`T` is a
/// parameter, not a projection, so a mismatch is reported once, here.)
pub fn spawned_arg<F, T, E>(_errors: &Errors<E>, future: F) -> SpawnArg<T, E>
where
    F: Future + Send + 'static,
    F::Output: SameError<E, Ok = T>,
{
    SpawnArg {
        future: Box::pin(async move { SameError::into_result(future.await) }),
    }
}

/// Spawns one `gather!` argument into the gather's group.
pub fn spawn_arg<T, E>(
    group: &TaskGroup<E>,
    arg: SpawnArg<T, E>,
) -> Result<TaskHandle<T, E>, SpawnError<E>>
where
    T: Send + 'static,
    E: Send + 'static,
{
    group.spawn(arg.future)
}

/// A `gather!(settled; ..)` argument, checked where it is written (see
/// [`SpawnArg`]), not yet spawned.
pub struct SettledArg<T, E> {
    future: Pin<Box<dyn Future<Output = Result<T, E>> + Send + 'static>>,
}

/// Checks one `gather!(settled; ..)` argument: a `Send + 'static` future of
/// any `Result`.
pub fn settled_arg<F, T, E>(future: F) -> SettledArg<T, E>
where
    F: Future + Send + 'static,
    F::Output: GatherOutput<Ok = T, Err = E>,
{
    SettledArg {
        future: Box::pin(async move { future.await.into_result() }),
    }
}

/// When a `gather!(settled, timeout = ..; ..)` gives up on unfinished children.
#[derive(Debug, Clone, Copy)]
pub struct SettledDeadline(Option<(Instant, Duration)>);

impl SettledDeadline {
    /// Starts counting `timeout` now (the gather's first poll).
    pub fn start(timeout: Option<Duration>) -> Self {
        SettledDeadline(timeout.map(|after| (Instant::now() + after, after)))
    }
}

/// A settled child: spawned, or refused (then it reports `Cancelled`).
pub struct SettledHandle<T, E>(Option<TaskHandle<Result<T, TaskError<E>>, Infallible>>);

/// Spawns one `gather!(settled; ..)` argument: its failure, panic or timeout
/// becomes its result and cancels nothing.
pub fn spawn_settled<T, E>(
    group: &TaskGroup<Infallible>,
    deadline: SettledDeadline,
    arg: SettledArg<T, E>,
) -> SettledHandle<T, E>
where
    T: Send + 'static,
    E: Send + 'static,
{
    let child = async move {
        let outcome = settle(arg.future);
        match deadline.0 {
            None => outcome.await,
            Some((at, after)) => match tokio::time::timeout_at(at, outcome).await {
                Ok(settled) => settled,
                Err(_) => Ok(Err(TaskError::TimedOut(after))),
            },
        }
    };
    SettledHandle(group.spawn(child).ok())
}

impl<T, E> SettledHandle<T, E> {
    /// The child's outcome, once the group has ended.
    pub async fn outcome(self) -> Result<T, TaskError<E>> {
        match self.0 {
            Some(handle) => handle
                .await
                .unwrap_or_else(|_: Cancelled<Infallible>| Err(TaskError::Cancelled)),
            None => Err(TaskError::Cancelled),
        }
    }
}

/// The outcome of a child that never reported one (its group ended abnormally).
pub fn settled_cancelled<T, E>() -> Result<T, TaskError<E>> {
    Err(TaskError::Cancelled)
}

/// Polls the arguments of `gather!(local; ..)` in place: admission under
/// `limit`, the deadline, and fail-fast. `E` is the gather's error type
/// (`Infallible` when settled: nothing fails then).
pub struct Local<E> {
    limit: usize,
    /// Arguments started so far: always a prefix, they start in order.
    started: usize,
    running: usize,
    pending: bool,
    timeout: Option<Duration>,
    deadline: Option<Pin<Box<Sleep>>>,
    timed_out: bool,
    _error: std::marker::PhantomData<fn() -> E>,
}

/// One argument of `gather!(local; ..)`, kept until all are done.
pub type LocalArg<Fut> = MaybeDone<Fut>;

impl<E> Local<E> {
    /// A scheduler for `gather!(local; ..)`; the deadline starts at first poll.
    pub fn new(limit: Option<usize>, timeout: Option<Duration>) -> Self {
        Local {
            limit: limit.unwrap_or(usize::MAX).max(1),
            started: 0,
            running: 0,
            pending: false,
            timeout,
            deadline: None,
            timed_out: false,
            _error: std::marker::PhantomData,
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

    /// Polls an unfinished, admitted argument; `true` when it finished now.
    fn step<Fut: Future>(
        &mut self,
        mut arg: Pin<&mut LocalArg<Fut>>,
        cx: &mut Context<'_>,
        index: u64,
    ) -> bool {
        if arg.as_mut().output_mut().is_some() || !self.admit(index) {
            return false;
        }
        match arg.poll(cx) {
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

    /// Polls argument `index` if it runs or may start; `Err` when it failed
    /// (fail-fast: the caller returns at once, dropping the others).
    pub fn poll<Fut, T>(
        &mut self,
        mut arg: Pin<&mut LocalArg<Fut>>,
        cx: &mut Context<'_>,
        index: u64,
    ) -> Result<(), ErrorGroup<E>>
    where
        Fut: Future<Output = Result<T, TaskError<E>>>,
    {
        if self.step(arg.as_mut(), cx, index) && matches!(arg.as_mut().output_mut(), Some(Err(_))) {
            if let Some(Err(error)) = arg.take_output() {
                return Err(failure(TaskName::seq(index), error));
            }
        }
        Ok(())
    }

    /// Polls argument `index` in settled mode: an error is its outcome, kept.
    pub fn poll_settled<Fut: Future>(
        &mut self,
        arg: Pin<&mut LocalArg<Fut>>,
        cx: &mut Context<'_>,
        index: u64,
    ) {
        self.step(arg, cx, index);
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
                return Poll::Ready(Err(failure(
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

    /// The value of a finished argument (fail-fast mode: it succeeded).
    pub fn take<Fut, T>(&self, arg: Pin<&mut LocalArg<Fut>>) -> T
    where
        Fut: Future<Output = Result<T, TaskError<E>>>,
    {
        match arg.take_output() {
            Some(Ok(value)) => value,
            // `end` returned `Ready(Ok)` only when every argument succeeded.
            _ => unreachable!("gather!(local): argument taken before it succeeded"),
        }
    }

    /// The outcome of an argument in settled mode.
    pub fn take_settled<Fut, T, Err>(
        &self,
        arg: Pin<&mut LocalArg<Fut>>,
    ) -> Result<T, TaskError<Err>>
    where
        Fut: Future<Output = Result<T, TaskError<Err>>>,
    {
        match arg.take_output() {
            Some(outcome) => outcome,
            None => Err(match (self.timed_out, self.timeout) {
                (true, Some(after)) => TaskError::TimedOut(after),
                _ => TaskError::Cancelled,
            }),
        }
    }
}

fn failure<E>(task: TaskName, error: TaskError<E>) -> ErrorGroup<E> {
    ErrorGroup::from_failures(vec![Failure::new(task, error)])
        .unwrap_or_else(|| unreachable!("one failure makes a non-empty group"))
}

/// One `gather!(local; ..)` argument, wrapped: a panic becomes
/// `TaskError::Panicked`, an `Err` `TaskError::Failed`. A named type (no
/// `impl Trait`), so an argument of the wrong type is one error, where it is
/// written, not one more at every use of the wrapper.
pub type LocalFuture<F, T, E> = MaybeDone<
    futures_util::future::Map<
        futures_util::future::CatchUnwind<AssertUnwindSafe<F>>,
        Finish<F, T, E>,
    >,
>;

/// How a `gather!(local; ..)` argument's output, or its panic, becomes its outcome.
pub type Finish<F, T, E> =
    fn(Result<<F as Future>::Output, Box<dyn Any + Send>>) -> Result<T, TaskError<E>>;

/// Wraps the first `gather!(local; ..)` argument, which fixes the error type.
pub fn local_first_arg<F, T, E>(_local: &Local<E>, future: F) -> LocalFuture<F, T, E>
where
    F: Future,
    F::Output: GatherOutput<Ok = T, Err = E>,
{
    wrap_local(future, caught::<F::Output, T, E>)
}

/// Wraps a later `gather!(local; ..)` argument, of the first one's error type.
pub fn local_arg<F, T, E>(_local: &Local<E>, future: F) -> LocalFuture<F, T, E>
where
    F: Future,
    F::Output: SameError<E, Ok = T>,
{
    wrap_local(future, caught_same::<F::Output, T, E>)
}

/// Wraps one `gather!(local, settled; ..)` argument; any error type.
pub fn local_settled_arg<F, T, E>(future: F) -> LocalFuture<F, T, E>
where
    F: Future,
    F::Output: GatherOutput<Ok = T, Err = E>,
{
    wrap_local(future, caught::<F::Output, T, E>)
}

fn wrap_local<F: Future, T, E>(future: F, finish: Finish<F, T, E>) -> LocalFuture<F, T, E> {
    MaybeDone::Future(AssertUnwindSafe(future).catch_unwind().map(finish))
}

fn caught<O, T, E>(outcome: Result<O, Box<dyn Any + Send>>) -> Result<T, TaskError<E>>
where
    O: GatherOutput<Ok = T, Err = E>,
{
    match outcome {
        Ok(output) => output.into_result().map_err(TaskError::Failed),
        Err(payload) => Err(TaskError::Panicked(panic_message(&*payload))),
    }
}

fn caught_same<O, T, E>(outcome: Result<O, Box<dyn Any + Send>>) -> Result<T, TaskError<E>>
where
    O: SameError<E, Ok = T>,
{
    match outcome {
        Ok(output) => output.into_result().map_err(TaskError::Failed),
        Err(payload) => Err(TaskError::Panicked(panic_message(&*payload))),
    }
}
