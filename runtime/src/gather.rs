//! `gather_all` and `gather_settled`: asyncio's `gather` over a dynamic list.

use std::convert::Infallible;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, PoisonError};

use futures_util::FutureExt as _;

use crate::error::{Cancelled, ErrorGroup, SpawnError, TaskError, TaskName, panic_message};
use crate::group::{Builder, TaskGroup};

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
    /// [`gather_all`] in a group configured by this builder (a limit, a
    /// deadline, ...).
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
        // Collected now, so the returned future is `Send` whatever the iterator.
        let futures: Vec<F> = futures.into_iter().collect();
        let gathered = self.scope(move |tg| async move {
            // Each child leaves its value at its index: no channel and no
            // handle per child, and nothing to await but the group itself.
            let slots = Slots::new(futures.len());
            slots.spawn_fillers(&tg, futures)?;
            Ok(slots)
        });
        async move {
            // The group succeeded, so every child delivered; a missing value
            // would be a child cancelled without a failure, reported as a
            // cancelled handle awaited with `?` would be.
            gathered
                .await?
                .take_all()
                .enumerate()
                .map(|(i, value)| {
                    value.ok_or_else(|| Cancelled::new(TaskName::seq(i as u64)).into())
                })
                .collect()
        }
    }

    /// [`gather_settled`] in a group configured by this builder. With a
    /// deadline, children still running when it passes are `TimedOut`.
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
        let futures: Vec<F> = futures.into_iter().collect();
        // One slot per input, filled by its child: outcomes that settled
        // before a deadline survive it (handles awaited by the body would be
        // lost with the body, which the deadline cancels).
        let slots = Slots::new(futures.len());
        let settled = self.scope({
            let slots = Arc::clone(&slots);
            move |tg| async move {
                slots.spawn_fillers(&tg, futures.into_iter().map(settle))?;
                Ok(())
            }
        });
        async move {
            // Children never fail (`settle` catches everything), so the group
            // ends early only at its deadline: what had not settled by then
            // timed out.
            let timed_out = settled
                .await
                .err()
                .and_then(|group: ErrorGroup<Infallible>| {
                    group.iter().find_map(|f| match f.error() {
                        TaskError::TimedOut(after) => Some(*after),
                        _ => None,
                    })
                });
            slots
                .take_all()
                .map(|outcome| {
                    outcome.unwrap_or_else(|| {
                        Err(timed_out.map_or(TaskError::Cancelled, TaskError::TimedOut))
                    })
                })
                .collect()
        }
    }
}

/// Where the children of `gather_all` and `gather_settled` leave their
/// values, by input position. One lock per slot, each taken once by its own
/// child, so children finishing together do not contend.
struct Slots<T>(Vec<Mutex<Option<T>>>);

impl<T> Slots<T> {
    fn new(len: usize) -> Arc<Self> {
        Arc::new(Slots((0..len).map(|_| Mutex::new(None)).collect()))
    }

    /// Spawns each future as a child of `tg` that leaves its value in the
    /// slot at the future's position.
    fn spawn_fillers<F, E>(
        self: &Arc<Self>,
        tg: &TaskGroup<E>,
        futures: impl IntoIterator<Item = F>,
    ) -> Result<(), SpawnError<E>>
    where
        F: Future<Output = Result<T, E>> + Send + 'static,
        T: Send + 'static,
        E: Send + 'static,
    {
        for (i, future) in futures.into_iter().enumerate() {
            let slots = Arc::clone(self);
            tg.spawn_with(future, move |value| slots.put(i, value))?;
        }
        Ok(())
    }

    fn put(&self, i: usize, value: T) {
        *self.0[i].lock().unwrap_or_else(PoisonError::into_inner) = Some(value);
    }

    /// Every slot's value, in input order; `None` where no child delivered.
    fn take_all(&self) -> impl Iterator<Item = Option<T>> + '_ {
        self.0
            .iter()
            .map(|slot| slot.lock().unwrap_or_else(PoisonError::into_inner).take())
    }
}

/// Turns a child's failure or panic into a value, so it cancels nothing.
///
/// Combinators, not an `async fn`, so the future is not held twice.
#[doc(hidden)]
pub fn settle<F, T, E>(
    future: F,
) -> impl Future<Output = Result<Result<T, TaskError<E>>, Infallible>>
where
    F: Future<Output = Result<T, E>>,
{
    // `fuse` drops the future inside `catch_unwind`: a panic in its
    // destructor is caught too.
    AssertUnwindSafe(future.fuse())
        .catch_unwind()
        .map(|caught| {
            Ok(match caught {
                Ok(Ok(value)) => Ok(value),
                Ok(Err(err)) => Err(TaskError::Failed(err)),
                Err(payload) => Err(TaskError::Panicked(panic_message(&*payload))),
            })
        })
}
