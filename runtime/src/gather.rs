//! `gather_all` and `gather_settled`: asyncio's `gather` over a dynamic list.

use std::convert::Infallible;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, PoisonError};

use futures_util::FutureExt as _;

use crate::error::{ErrorGroup, TaskError, panic_message};
use crate::group::Builder;

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
        self.scope(move |tg| async move {
            let handles = futures
                .into_iter()
                .map(|future| tg.spawn(future))
                .collect::<Result<Vec<_>, _>>()?;
            let mut values = Vec::with_capacity(handles.len());
            for handle in handles {
                values.push(handle.await?);
            }
            Ok(values)
        })
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
        type Slots<T, E> = Arc<Mutex<Vec<Option<Result<T, TaskError<E>>>>>>;
        let slots: Slots<T, E> = Arc::new(Mutex::new(futures.iter().map(|_| None).collect()));
        let settled = self.scope({
            let slots = Arc::clone(&slots);
            move |tg| async move {
                for (i, future) in futures.into_iter().enumerate() {
                    let slots = Arc::clone(&slots);
                    tg.spawn(async move {
                        let outcome = settle(future).await?;
                        slots.lock().unwrap_or_else(PoisonError::into_inner)[i] = Some(outcome);
                        Ok(())
                    })?;
                }
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
            let outcomes =
                std::mem::take(&mut *slots.lock().unwrap_or_else(PoisonError::into_inner));
            outcomes
                .into_iter()
                .map(|outcome| {
                    outcome.unwrap_or_else(|| {
                        Err(timed_out.map_or(TaskError::Cancelled, TaskError::TimedOut))
                    })
                })
                .collect()
        }
    }
}

/// Turns a child's failure or panic into a value, so it cancels nothing.
#[doc(hidden)]
// The `async` block is not redundant: it owns the future, so a panic in its
// destructor is caught too.
#[allow(clippy::redundant_async_block)]
pub async fn settle<F, T, E>(future: F) -> Result<Result<T, TaskError<E>>, Infallible>
where
    F: Future<Output = Result<T, E>>,
{
    Ok(
        match AssertUnwindSafe(async move { future.await })
            .catch_unwind()
            .await
        {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(err)) => Err(TaskError::Failed(err)),
            Err(payload) => Err(TaskError::Panicked(panic_message(&*payload))),
        },
    )
}
