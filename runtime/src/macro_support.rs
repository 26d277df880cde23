//! Items the macros' expansions name. Not a public API: no stability promise.
//!
//! Expansions name everything through `::taskgroup::__private::..` (or the
//! path given with `crate = ..`), so user items called `scope`, `Builder` or
//! `Ok` cannot change what they mean.
//!
//! - `gather!`: each argument is checked where it is written by a function
//!   that wraps it in an [`Arg`] (its panic caught, its output converted):
//!   [`first_spawned_arg`] / [`spawned_arg`] / [`settled_arg`] make a
//!   [`SpawnedArg`], a task started when the [`Spawner`] admits it;
//!   [`local_first_arg`] / [`local_arg`] / [`local_settled_arg`] a future
//!   the [`Scheduler`] polls in place. The polling loop (limit, deadline,
//!   fail-fast) is generated per arity by the macro. `gather!(local; ..)`
//!   with no other option uses the same checks (the `Scheduler` only as the
//!   type that carries `E`) and a lean future instead: a [`LocalGather`]
//!   of the arguments in a [`Cons`] list, whose [`LocalPass`] polls them
//!   under one `catch_unwind` per pass.
//! - `race!`: the same checks ([`race_first_arg`] / [`race_arg`], and
//!   [`local_race_first_arg`] / [`local_race_arg`] with `local`) make an
//!   [`Arg`] each (spawned: in an [`Unstarted`]); [`RaceSpawner::run`] or [`RaceScheduler::run`] runs the
//!   race, the macro giving it per-arity code to start or poll attempt `i`.
//! - `#[task_group]`: [`scope_as`] (a [`Builder::scope`] typed by the fn's
//!   return type) with the fn's body.
//!
//! The traits [`GatherOutput`] and [`SameError`] exist for their compile
//! errors: they say in words what an argument of the wrong type is.

use std::future::Future;
use std::time::Duration;

pub use crate::builder::Builder;
pub use crate::gather::{
    Arg, Cons, LocalGather, LocalPass, Scheduler, SpawnedArg, Spawner, Stop, Stopped, ValueOf,
};
pub use crate::group::TaskGroup;
pub use crate::race::{RaceScheduler, RaceSpawner, Unstarted};
pub use std::convert::Infallible;
pub use std::future::poll_fn;
pub use std::option::Option::{None, Some};
pub use std::pin::pin;
pub use std::result::Result::{self, Err, Ok};
pub use std::task::Poll::{Pending, Ready};

/// Makes `timeout = EXPR` (and `stagger = EXPR`) a type error at `EXPR`
/// when it is not a `Duration`.
#[inline]
pub fn duration(after: Duration) -> Duration {
    after
}

/// What a `#[task_group]` fn returns: `Result<T, ErrorGroup<E>>`, under any
/// alias or import name. The expansion reads `E` from it, so the macro never
/// reads the return type as text.
#[diagnostic::on_unimplemented(
    message = "a `#[task_group]` fn returns `Result<T, ErrorGroup<E>>` (every failure of its group, with task names), not `{Self}`",
    label = "not `Result<T, ErrorGroup<E>>`",
    note = "write the return type as `Result<T, taskgroup::ErrorGroup<E>>` (or an alias of it), `E` being the children's error type, and end the body with `Ok(value)`"
)]
pub trait GroupResult {
    /// `T` of `Result<T, ErrorGroup<E>>`.
    type Ok;
    /// `E` of `Result<T, ErrorGroup<E>>`.
    type Error;
    /// The group's outcome as the declared type.
    fn from_outcome(outcome: Result<Self::Ok, crate::ErrorGroup<Self::Error>>) -> Self;
}

impl<T, E> GroupResult for Result<T, crate::ErrorGroup<E>> {
    type Ok = T;
    type Error = E;
    #[inline]
    fn from_outcome(outcome: Self) -> Self {
        outcome
    }
}

/// Runs a `#[task_group]` fn's body with a group configured by `builder`;
/// the outcome as the declared return type `R`, from which `E` is read
/// before the body is type-checked.
#[track_caller]
pub fn scope_as<R, F, Fut>(builder: Builder, body: F) -> impl Future<Output = R>
where
    R: GroupResult,
    R::Error: Send + 'static,
    F: FnOnce(TaskGroup<R::Error>) -> Fut,
    Fut: Future<Output = Result<R::Ok, crate::ErrorGroup<R::Error>>>,
{
    let scope = builder.scope(body);
    async move { R::from_outcome(scope.await) }
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

/// Checks the first `gather!` argument: a `Send + 'static` future of
/// `Result<T, E>`, which fixes the gather's error type `E`.
pub fn first_spawned_arg<F, O, T, E>(
    _spawner: &Spawner<E>,
    future: F,
) -> SpawnedArg<Arg<F, O, T, E>, T, E>
where
    F: Future<Output = O> + 'static,
    F: Send, // not `Send`? write `gather!(local; ..)`, which runs the futures on this task
    O: GatherOutput<Ok = T, Err = E>,
    T: Send + 'static,
    E: Send + 'static,
{
    SpawnedArg::new(Arg::new(future, O::into_result))
}

/// Checks a later `gather!` argument: a `Send + 'static` future of
/// `Result<_, E>`, `E` being the first argument's error type. (`T` is a
/// parameter, not a projection, so a mismatch is reported once, here.)
pub fn spawned_arg<F, O, T, E>(
    _spawner: &Spawner<E>,
    future: F,
) -> SpawnedArg<Arg<F, O, T, E>, T, E>
where
    F: Future<Output = O> + 'static,
    F: Send, // not `Send`? write `gather!(local; ..)`, which runs the futures on this task
    O: SameError<E, Ok = T>,
    T: Send + 'static,
    E: Send + 'static,
{
    SpawnedArg::new(Arg::new(future, O::into_result))
}

/// Checks one `gather!(settled; ..)` argument: a `Send + 'static` future of
/// any `Result`.
pub fn settled_arg<F, O, T, E>(future: F) -> SpawnedArg<Arg<F, O, T, E>, T, E>
where
    F: Future<Output = O> + 'static,
    F: Send, // not `Send`? write `gather!(local, settled; ..)`, which runs them on this task
    O: GatherOutput<Ok = T, Err = E>,
    T: Send + 'static,
    E: Send + 'static,
{
    SpawnedArg::new(Arg::new(future, O::into_result))
}

/// Wraps the first `gather!(local; ..)` argument, which fixes the error type.
pub fn local_first_arg<F, O, T, E>(_scheduler: &Scheduler<E>, future: F) -> Arg<F, O, T, E>
where
    F: Future<Output = O>,
    O: GatherOutput<Ok = T, Err = E>,
{
    Arg::new(future, O::into_result)
}

/// Wraps a later `gather!(local; ..)` argument, of the first one's error type.
pub fn local_arg<F, O, T, E>(_scheduler: &Scheduler<E>, future: F) -> Arg<F, O, T, E>
where
    F: Future<Output = O>,
    O: SameError<E, Ok = T>,
{
    Arg::new(future, O::into_result)
}

/// Wraps one `gather!(local, settled; ..)` argument; any error type.
pub fn local_settled_arg<F, O, T, E>(future: F) -> Arg<F, O, T, E>
where
    F: Future<Output = O>,
    O: GatherOutput<Ok = T, Err = E>,
{
    Arg::new(future, O::into_result)
}

/// What a `race!` argument resolves to: a `Result`, any types.
#[diagnostic::on_unimplemented(
    message = "a `race!` argument must be a future of `Result<T, E>`, but this one resolves to `{Self}`",
    label = "resolves to `{Self}`, not a `Result`",
    note = "make it return a `Result`, e.g. `async {{ Ok::<_, MyError>(value) }}`"
)]
pub trait RaceOutput {
    /// The winner's value.
    type Ok;
    /// The error.
    type Err;
    /// The output as a plain `Result`.
    fn into_result(self) -> Result<Self::Ok, Self::Err>;
}

impl<T, E> RaceOutput for Result<T, E> {
    type Ok = T;
    type Err = E;
    #[inline]
    fn into_result(self) -> Result<T, E> {
        self
    }
}

/// A `race!` argument of the first argument's type: any one may win.
#[diagnostic::on_unimplemented(
    message = "every `race!` argument must be a future of `Result<{T}, {E}>` (the first argument's type), but this one resolves to `{Self}`",
    label = "expected `Result<{T}, {E}>`, found `{Self}`",
    note = "the first argument fixes the type of the race's value and error, whichever argument wins; convert this one with `.map(..)` and `.map_err(..)` (or `?` in an `async` block)"
)]
pub trait SameRaceOutput<T, E> {
    /// The output as the race's `Result`.
    fn into_result(self) -> Result<T, E>;
}

impl<T, E> SameRaceOutput<T, E> for Result<T, E> {
    #[inline]
    fn into_result(self) -> Result<T, E> {
        self
    }
}

/// Checks the first `race!` argument: a `Send + 'static` future of
/// `Result<T, E>`, which fixes the race's `T` and `E`.
pub fn race_first_arg<F, O, T, E>(
    _race: &RaceSpawner<T, E>,
    future: F,
) -> Unstarted<Arg<F, O, T, E>, T, E>
where
    F: Future<Output = O> + Send + 'static,
    O: RaceOutput<Ok = T, Err = E> + Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
{
    Unstarted::new(Arg::new(future, O::into_result))
}

/// Checks a later `race!` argument: a `Send + 'static` future of the first
/// one's `Result<T, E>`.
pub fn race_arg<F, O, T, E>(
    _race: &RaceSpawner<T, E>,
    future: F,
) -> Unstarted<Arg<F, O, T, E>, T, E>
where
    F: Future<Output = O> + Send + 'static,
    O: SameRaceOutput<T, E> + Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
{
    Unstarted::new(Arg::new(future, O::into_result))
}

/// Wraps the first `race!(local; ..)` argument, which fixes `T` and `E`.
pub fn local_race_first_arg<F, O, T, E>(_race: &RaceScheduler<T, E>, future: F) -> Arg<F, O, T, E>
where
    F: Future<Output = O>,
    O: RaceOutput<Ok = T, Err = E>,
{
    Arg::new(future, O::into_result)
}

/// Wraps a later `race!(local; ..)` argument, of the first one's type.
pub fn local_race_arg<F, O, T, E>(_race: &RaceScheduler<T, E>, future: F) -> Arg<F, O, T, E>
where
    F: Future<Output = O>,
    O: SameRaceOutput<T, E>,
{
    Arg::new(future, O::into_result)
}
