//! `race_all` and `race!`: the first success wins, the others are cancelled
//! and waited for (asyncio's `staggered_race`, Trio's `open_tcp_stream`,
//! Java's `Joiner.anySuccessfulResultOrThrow()`).

use std::convert::identity;
use std::future::Future;

mod attempts;
mod local;
mod spawned;

pub use local::RaceScheduler;
pub use spawned::{RaceSpawner, Unstarted};

use crate::builder::Builder;
use crate::error::ErrorGroup;
use crate::gather::Arg;

/// Runs every future as a task and returns the first success; the others
/// are then cancelled, and the race returns once they have ended (their
/// futures dropped). When all fail, the [`ErrorGroup`] holds every failure
/// in input order (the order they started in), the members named `task-N`
/// by position. A panic is a failure like an `Err`. When one wins, the
/// others' `Err`s are dropped (failing attempts are what a race is for),
/// and a loser's panic, or a panic in the destructor of a loser's late
/// value, is logged with `tracing::error!`: the result has no place for it.
///
/// All start at once; to start them one after another, as Happy Eyeballs
/// does, or for a deadline, use [`Builder::race_all`].
///
/// # Panics
///
/// If `futures` is empty: no attempt could win, and there is no failure to
/// report. Check for an empty list before racing.
///
/// ```
/// # #[tokio::main(flavor = "current_thread", start_paused = true)] async fn main() {
/// use std::time::Duration;
///
/// let fastest = taskgroup::race_all([300, 100, 200].map(|ms| async move {
///     tokio::time::sleep(Duration::from_millis(ms)).await;
///     Ok::<_, std::io::Error>(ms)
/// }))
/// .await
/// .unwrap();
/// assert_eq!(fastest, 100);
/// # }
/// ```
#[track_caller]
pub fn race_all<I, F, T, E>(futures: I) -> impl Future<Output = Result<T, ErrorGroup<E>>>
where
    I: IntoIterator<Item = F>,
    F: Future<Output = Result<T, E>> + Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
{
    Builder::new().race_all(futures)
}

impl Builder {
    /// [`race_all`] with this builder's options: `stagger` (start the next
    /// future after a delay, or as soon as the previous one fails),
    /// `timeout` (then the [`ErrorGroup`] ends with a `deadline` member after
    /// the failures so far), `slow_poll`. `supervisor` may be set and
    /// changes nothing: a failure in a race never cancels the others.
    ///
    /// # Panics
    ///
    /// If `futures` is empty, as [`race_all`]. If `limit` is set: a race
    /// starts its futures all at once or, with `stagger`, one after another;
    /// `stagger(Duration::MAX)` runs one at a time, the next only when the
    /// previous has failed. If `grace_period` is set: the futures cannot see
    /// a token, as with [`Builder::gather_all`].
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread", start_paused = true)] async fn main() {
    /// use std::time::Duration;
    ///
    /// let err = taskgroup::Builder::new()
    ///     .stagger(Duration::from_millis(250))
    ///     .timeout(Duration::from_secs(1))
    ///     .race_all(["a", "b"].map(|name| async move {
    ///         if name == "a" {
    ///             return Err(format!("{name}: refused"));
    ///         }
    ///         tokio::time::sleep(Duration::from_secs(5)).await;
    ///         Ok(name)
    ///     }))
    ///     .await
    ///     .unwrap_err();
    /// assert_eq!(
    ///     format!("{err:#}"),
    ///     "2 tasks failed:\n  task `task-0` failed: a: refused\n  task `deadline` failed: timed out after 1s"
    /// );
    /// # }
    /// ```
    #[track_caller]
    pub fn race_all<I, F, T, E>(self, futures: I) -> impl Future<Output = Result<T, ErrorGroup<E>>>
    where
        I: IntoIterator<Item = F>,
        F: Future<Output = Result<T, E>> + Send + 'static,
        T: Send + 'static,
        E: Send + 'static,
    {
        let config = self.config();
        assert!(
            config.limit.is_none(),
            "Builder::race_all: `limit` does not apply to a race, whose futures start all at once \
             or, with `stagger`, one after another; `stagger(Duration::MAX)` runs one at a time"
        );
        config.refuse_grace_period("Builder::race_all");
        let futures: Vec<F> = futures.into_iter().collect();
        assert!(
            !futures.is_empty(),
            "race_all: no futures to race, so none can win; check for an empty list first"
        );
        #[cfg_attr(not(feature = "tree"), allow(unused_mut))]
        let mut race = RaceSpawner::with(
            futures.len(),
            config.stagger,
            config.timeout,
            config.slow_poll,
        );
        #[cfg(feature = "tree")]
        race.tree.set_name(self.name);
        let mut unstarted = futures.into_iter();
        race.run(move |race, index| {
            if let Some(future) = unstarted.next() {
                race.spawn(index, Arg::new(future, identity));
            }
        })
    }
}
