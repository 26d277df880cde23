//! Results as they complete: asyncio's `as_completed`, as a `Stream`.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use futures_core::Stream;
use tokio::task::JoinSet;

use crate::builder::Builder;
use crate::error::{TaskError, TaskName};
use crate::gather::Arg;
use crate::limit::Slots;
use crate::observe::{next_group_id, spawn_observed};
use crate::orphans::{hand_over_to_enclosing, in_enclosing_group};

/// A stream of `(index, result)` pairs in completion order, where `index` is
/// the future's position in the input. Made by [`as_completed`].
///
/// A failure cancels nothing: the consumer decides. Dropping the stream
/// aborts every future that has not completed, as dropping a scope does.
///
/// Its own [`next`](Self::next) needs no import. It is also a
/// [`futures_core::Stream`]; for the stream combinators (`collect`,
/// `filter_map`, `take`, ...) import the `StreamExt` of the `futures` crate
/// (`use futures::StreamExt as _;`, the same trait as `futures-util`'s)
/// or of `tokio-stream`.
#[must_use = "streams do nothing unless polled"]
pub struct AsCompleted<F: Future<Output = Result<T, E>>, T, E> {
    /// Spawned on the first poll, so the stream can be built outside a runtime.
    unstarted: Option<Vec<F>>,
    running: JoinSet<Joined<T, E>>,
    limit: Option<usize>,
    slow_poll: Option<Duration>,
    /// Set when the tasks start: hands the running ones to the enclosing
    /// group when the stream is dropped (a `fn` pointer, so the struct needs
    /// no `Send` bounds).
    hand_over: Option<HandOver<T, E>>,
}

/// What a task of the stream gives back: its input index and its outcome.
type Joined<T, E> = (usize, Result<T, TaskError<E>>);
type HandOver<T, E> = fn(JoinSet<Joined<T, E>>);

/// Runs every future as a task and yields `(index, result)` as each one
/// completes (asyncio's `as_completed`).
///
/// ```
/// # #[tokio::main(flavor = "current_thread", start_paused = true)] async fn main() {
/// use std::time::Duration;
///
/// let delays = [30, 10, 20];
/// let mut done = taskgroup::as_completed(delays.map(|ms| async move {
///     tokio::time::sleep(Duration::from_millis(ms)).await;
///     Ok::<_, ()>(ms)
/// }));
/// let mut order = Vec::new();
/// while let Some((index, result)) = done.next().await {
///     order.push((index, result.unwrap()));
/// }
/// assert_eq!(order, [(1, 10), (2, 20), (0, 30)]);
/// # }
/// ```
pub fn as_completed<I, F, T, E>(futures: I) -> AsCompleted<F, T, E>
where
    I: IntoIterator<Item = F>,
    F: Future<Output = Result<T, E>> + Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
{
    Builder::new().as_completed(futures)
}

impl Builder {
    /// [`as_completed`] with this builder's options: `limit` (at most `n`
    /// futures run at once, started in input order) and `slow_poll`.
    /// `supervisor` may be set and changes nothing: a failure in a stream
    /// never cancels the others, the consumer decides.
    ///
    /// # Panics
    ///
    /// If `timeout` or `grace_period` is set: a stream has no end of its own
    /// for a deadline to cut short, nor a token to cancel gracefully. Wrap
    /// the loop that consumes it in `tokio::time::timeout`, or run the
    /// futures in a [`Builder::scope`]. If `stagger` is set: it is
    /// [`Builder::race_all`]'s. If `name` is set: a stream is not a node of
    /// the task tree (name the child that consumes it).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// // `futures::StreamExt` (the `futures` crate re-exports this trait) or
    /// // `tokio_stream::StreamExt`: either gives `collect`.
    /// use futures_util::StreamExt as _;
    ///
    /// let results: Vec<_> = taskgroup::Builder::new()
    ///     .limit(2)
    ///     .as_completed((0..5).map(|i| async move { Ok::<_, ()>(i) }))
    ///     .collect()
    ///     .await;
    /// assert_eq!(results.len(), 5);
    /// # }
    /// ```
    #[track_caller]
    pub fn as_completed<I, F, T, E>(self, futures: I) -> AsCompleted<F, T, E>
    where
        I: IntoIterator<Item = F>,
        F: Future<Output = Result<T, E>> + Send + 'static,
        T: Send + 'static,
        E: Send + 'static,
    {
        let config = self.config();
        assert!(
            config.timeout.is_none() && config.grace.is_none(),
            "Builder::as_completed: `timeout` and `grace_period` do not apply to a stream; \
             wrap the loop that consumes it in `tokio::time::timeout`, or use `Builder::scope`"
        );
        config.refuse_stagger("Builder::as_completed");
        assert!(
            self.name.is_none(),
            "Builder::as_completed: `name` does not apply, a stream is not a node of the task \
             tree; name the child that consumes it, or use `Builder::scope`"
        );
        AsCompleted {
            unstarted: Some(futures.into_iter().collect()),
            running: JoinSet::new(),
            limit: config.limit,
            slow_poll: config.slow_poll,
            hand_over: None,
        }
    }
}

impl<F, T, E> AsCompleted<F, T, E>
where
    F: Future<Output = Result<T, E>> + Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
{
    /// The next `(index, result)` to complete, or `None` once every one has
    /// been yielded; `StreamExt::next` without importing a trait (and, like
    /// it, `Unpin`). Cancel-safe: dropping it before it completes loses no result.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let mut done = taskgroup::as_completed([async { Err::<(), _>("down") }]);
    /// assert_eq!(done.next().await, Some((0, Err(taskgroup::TaskError::Failed("down")))));
    /// assert_eq!(done.next().await, None);
    /// # }
    /// ```
    // A stream's `next`, as `StreamExt::next`: it cannot be `Iterator::next`.
    #[allow(clippy::should_implement_trait)]
    pub fn next(
        &mut self,
    ) -> impl Future<Output = Option<(usize, Result<T, TaskError<E>>)>> + Unpin + '_ {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx))
    }

    fn start(&mut self, futures: Vec<F>) {
        let slots = Slots::new(self.limit);
        self.hand_over = Some(hand_over_to_enclosing);
        let group = next_group_id();
        for (index, future) in futures.into_iter().enumerate() {
            // Queued here, in input order (see `Slots::take_turn`).
            let turn = slots.as_ref().map(Slots::take_turn);
            let child = in_enclosing_group(async move {
                let _permit = match turn {
                    Some(turn) => turn.await,
                    None => None,
                };
                let result = Arg::new(future, std::convert::identity).await;
                (index, result)
            });
            let name = TaskName::seq(index as u64);
            spawn_observed(&mut self.running, child, group, || name, self.slow_poll);
        }
    }
}

/// Aborts the tasks still running and hands them to the enclosing group, if
/// any, whose scope waits for them to be dropped (they may be mid-poll on
/// another worker), as for a dropped nested group (see `orphans`).
impl<F, T, E> Drop for AsCompleted<F, T, E>
where
    F: Future<Output = Result<T, E>>,
{
    fn drop(&mut self) {
        if let Some(hand_over) = self.hand_over {
            hand_over(std::mem::take(&mut self.running));
        }
    }
}

// Nothing in it is pinned structurally: the futures are moved into tasks.
impl<F, T, E> Unpin for AsCompleted<F, T, E> where F: Future<Output = Result<T, E>> {}

impl<F, T, E> Stream for AsCompleted<F, T, E>
where
    F: Future<Output = Result<T, E>> + Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
{
    type Item = (usize, Result<T, TaskError<E>>);

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if let Some(futures) = self.unstarted.take() {
            self.start(futures);
        }
        Poll::Ready(ready!(self.running.poll_join_next(cx)).map(|joined| {
            // `Arg` catches panics, so a join error is a runtime shutdown;
            // its index is lost with it, which a cancellation report shows.
            joined.unwrap_or_else(|_| (usize::MAX, Err(TaskError::Cancelled)))
        }))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.running.len() + self.unstarted.as_ref().map_or(0, Vec::len);
        (n, Some(n))
    }
}

impl<F, T, E> std::fmt::Debug for AsCompleted<F, T, E>
where
    F: Future<Output = Result<T, E>>,
{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsCompleted")
            .field("running", &self.running.len())
            .finish_non_exhaustive()
    }
}
