//! `gather_all` and `gather_settled`: asyncio's `gather` over a dynamic list.

use std::convert::identity;
use std::future::{Future, poll_fn};

mod arg;
mod list;
mod local;
mod scheduler;
mod spawned;

pub use arg::Arg;
pub use local::{Cons, LocalGather, LocalPass, Stop, Stopped, ValueOf};
pub use scheduler::Scheduler;
pub use spawned::{SpawnedArg, Spawner};

use crate::builder::Builder;
use crate::error::{ErrorGroup, TaskError};
use list::ListProgress;
use spawned::Mode;

/// Runs every future as a child of one group and returns their values in
/// input order, whatever order they finish in (asyncio's `gather`).
///
/// The first failure cancels the others and every failure is reported in the
/// [`ErrorGroup`], where asyncio would raise the first and leave the rest
/// running. Children are named `task-N` by position. For a limit or a
/// deadline, use [`Builder::gather_all`].
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// let squares = taskgroup::gather_all((1..=3u64).map(|i| async move {
///     Ok::<_, std::io::Error>(i * i)
/// }))
/// .await
/// .unwrap();
/// assert_eq!(squares, [1, 4, 9]);
/// # }
/// ```
#[track_caller]
pub fn gather_all<I, F, T, E>(futures: I) -> impl Future<Output = Result<Vec<T>, ErrorGroup<E>>>
where
    I: IntoIterator<Item = F>,
    F: Future<Output = Result<T, E>> + Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
{
    Builder::new().gather_all(futures)
}

/// Runs every future as a child of one group and returns each one's outcome
/// in input order; a failure cancels nothing (asyncio's
/// `gather(..., return_exceptions=True)`).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// use taskgroup::TaskError;
///
/// let results = taskgroup::gather_settled((1..=3).map(|i| async move {
///     match i {
///         1 => Ok(1),
///         2 => Err("bad input"),
///         _ => panic!("bug"),
///     }
/// }))
/// .await;
/// assert!(matches!(results[0], Ok(1)));
/// assert!(matches!(results[1], Err(TaskError::Failed("bad input"))));
/// assert!(matches!(&results[2], Err(TaskError::Panicked(msg)) if msg == "bug"));
/// # }
/// ```
#[track_caller]
pub fn gather_settled<I, F, T, E>(futures: I) -> impl Future<Output = Vec<Result<T, TaskError<E>>>>
where
    I: IntoIterator<Item = F>,
    F: Future<Output = Result<T, E>> + Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
{
    Builder::new().gather_settled(futures)
}

impl Builder {
    /// [`gather_all`] in a group configured by this builder: `limit`,
    /// `timeout`, `slow_poll`, and `supervisor` (every failure is
    /// collected and nothing is cancelled).
    ///
    /// # Panics
    ///
    /// If `grace_period` is set: the futures cannot see a token, so there is
    /// nothing to give a grace period to; they are aborted at once. For
    /// graceful cancellation, spawn them in a [`Builder::scope`] and let
    /// each watch [`TaskGroup::token`](crate::TaskGroup::token). If
    /// `stagger` is set: it is [`Builder::race_all`]'s.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let ids = taskgroup::Builder::new()
    ///     .limit(2)
    ///     .gather_all((0..4).map(|id| async move { Ok::<_, ()>(id) }))
    ///     .await
    ///     .unwrap();
    /// assert_eq!(ids, [0, 1, 2, 3]);
    /// # }
    /// ```
    #[track_caller]
    pub fn gather_all<I, F, T, E>(
        self,
        futures: I,
    ) -> impl Future<Output = Result<Vec<T>, ErrorGroup<E>>>
    where
        I: IntoIterator<Item = F>,
        F: Future<Output = Result<T, E>> + Send + 'static,
        T: Send + 'static,
        E: Send + 'static,
    {
        let (mut spawner, mut args) = self.spawn_list(futures, Mode::FailFast);
        async move {
            let mut progress = ListProgress::default();
            let result = poll_fn(|cx| spawner.poll_list(&mut args, &mut progress, cx)).await;
            // Values are taken only when they will be returned: otherwise
            // stopping drops them, a panic in a destructor caught and
            // reported under its argument's name.
            let values = match result {
                Ok(()) if !spawner.has_failures() => {
                    let values = spawner.take_values(&mut args);
                    // Every child was collected and its value taken: no
                    // argument is left to stop (only orphans to wait for).
                    progress.all_taken(args.len());
                    Ok(values)
                }
                Ok(()) => Ok(Vec::new()),
                Err(group) => Err(group),
            };
            poll_fn(|cx| spawner.poll_stop_list(&mut args, &mut progress, cx)).await;
            spawner.finish(values)
        }
    }

    /// [`gather_settled`] in a group configured by this builder. With a
    /// deadline, children still running when it passes are `TimedOut`.
    ///
    /// # Panics
    ///
    /// If `grace_period` or `stagger` is set, as [`Builder::gather_all`].
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let results = taskgroup::Builder::new()
    ///     .limit(1)
    ///     .gather_settled([async { Err::<(), _>("down") }])
    ///     .await;
    /// assert!(results[0].is_err());
    /// # }
    /// ```
    #[track_caller]
    pub fn gather_settled<I, F, T, E>(
        self,
        futures: I,
    ) -> impl Future<Output = Vec<Result<T, TaskError<E>>>>
    where
        I: IntoIterator<Item = F>,
        F: Future<Output = Result<T, E>> + Send + 'static,
        T: Send + 'static,
        E: Send + 'static,
    {
        let (mut spawner, mut args) = self.spawn_list(futures, Mode::Settle);
        async move {
            let mut progress = ListProgress::default();
            // Settled children never fail: the list ends when all have, or
            // at the deadline (then the unfinished ones are `TimedOut`).
            let _ = poll_fn(|cx| spawner.poll_list(&mut args, &mut progress, cx)).await;
            let outcomes = spawner.take_list(&mut args);
            poll_fn(|cx| spawner.poll_stop_list(&mut args, &mut progress, cx)).await;
            spawner.finish_settled(outcomes)
        }
    }

    /// The scheduler and the not-yet-started children of a list gather.
    /// The futures are collected now, so the returned future is `Send`
    /// whatever the iterator.
    #[allow(clippy::type_complexity)]
    #[track_caller]
    fn spawn_list<I, F, T, E>(
        self,
        futures: I,
        mode: Mode,
    ) -> (
        Spawner<E>,
        Vec<SpawnedArg<Arg<F, Result<T, E>, T, E>, T, E>>,
    )
    where
        I: IntoIterator<Item = F>,
        F: Future<Output = Result<T, E>> + Send + 'static,
        T: Send + 'static,
        E: Send + 'static,
    {
        let config = self.config();
        config.refuse_grace_period("Builder::gather_all/gather_settled");
        config.refuse_stagger("Builder::gather_all/gather_settled");
        let args: Vec<_> = futures
            .into_iter()
            .map(|future| SpawnedArg::new(Arg::new(future, identity)))
            .collect();
        let mode = match mode {
            Mode::FailFast if config.supervisor => Mode::Supervise,
            mode => mode,
        };
        #[cfg_attr(not(feature = "tree"), allow(unused_mut))]
        let mut spawner = Spawner::with(
            args.len(),
            mode,
            config.limit,
            config.timeout,
            config.slow_poll,
        );
        #[cfg(feature = "tree")]
        spawner.tree.set_name(self.name);
        (spawner, args)
    }
}
