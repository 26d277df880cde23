//! [`Builder`]: a group's options, for a scope, a gather or a stream.

use std::time::Duration;

use crate::observe::default_slow_poll;

/// The options of a group, set with [`Builder`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Config {
    pub(crate) supervisor: bool,
    pub(crate) limit: Option<usize>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) grace: Option<Duration>,
    pub(crate) slow_poll: Option<Duration>,
    /// Only `race_all` starts its futures one by one (see [`Config::refuse_stagger`]).
    pub(crate) stagger: Option<Duration>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            supervisor: false,
            limit: None,
            timeout: None,
            grace: None,
            slow_poll: default_slow_poll(),
            stagger: None,
        }
    }
}

impl Config {
    /// Panics, naming `method`, when `stagger` is set: only a race starts
    /// its futures one after another.
    #[track_caller]
    pub(crate) fn refuse_stagger(&self, method: &str) {
        assert!(
            self.stagger.is_none(),
            "{method}: `stagger` applies only to `Builder::race_all`, where the first success \
             wins; to space out the starts of children that must all succeed, sleep in each \
             before its work"
        );
    }

    /// Panics, naming `method`, when `grace_period` is set: `method`'s
    /// futures cannot see a cancellation token, so a grace period would
    /// give them nothing.
    #[track_caller]
    pub(crate) fn refuse_grace_period(&self, method: &str) {
        assert!(
            self.grace.is_none(),
            "{method}: `grace_period` does not apply, the futures cannot see a \
             cancellation token; use `Builder::scope` and `TaskGroup::token` for graceful cancellation"
        );
    }
}

/// Configures a task group beyond [`scope`](crate::scope)'s defaults: supervisor mode, a
/// concurrency limit, a deadline, and a grace period for cancellation.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// use std::time::Duration;
///
/// let sizes = taskgroup::Builder::new()
///     .limit(4)
///     .timeout(Duration::from_secs(30))
///     .gather_all((0..10).map(|i| async move { Ok::<_, std::io::Error>(i * 10) }))
///     .await
///     .unwrap();
/// assert_eq!(sizes[9], 90);
/// # }
/// ```
#[derive(Debug, Clone, Copy, Default)]
#[must_use = "a Builder does nothing until you call `scope` or a gather method"]
pub struct Builder {
    pub(crate) config: Config,
    /// For the task tree (feature `tree`).
    pub(crate) name: Option<&'static str>,
}

impl Builder {
    /// The defaults: fail-fast, no limit, no deadline, no grace period.
    ///
    /// ```
    /// let builder = taskgroup::Builder::new();
    /// # let _ = builder;
    /// ```
    pub fn new() -> Self {
        Builder::default()
    }

    pub(crate) fn config(&self) -> Config {
        self.config
    }

    /// A name for the group, shown in the task tree (feature `tree`, see
    /// `taskgroup::tree()`); a `#[task_group]` fn's group is named after
    /// the fn. A `&'static str`, so the builder stays `Copy`: what differs
    /// per group (a peer's address) goes in the name of the child that
    /// opens it, under which the tree shows it.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// taskgroup::Builder::new()
    ///     .name("session")
    ///     .scope(|_tg| async { Ok::<_, taskgroup::ErrorGroup<()>>(()) })
    ///     .await
    ///     .unwrap();
    /// # }
    /// ```
    pub fn name(mut self, name: &'static str) -> Self {
        self.name = Some(name);
        self
    }

    /// Supervisor mode (Kotlin's `supervisorScope`): a child's failure does
    /// not cancel its siblings or the body. Every failure is still collected
    /// and returned in the [`ErrorGroup`](crate::ErrorGroup) when the group ends.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let err = taskgroup::Builder::new()
    ///     .supervisor()
    ///     .scope(|tg| async move {
    ///         tg.spawn(async { Err::<(), _>("one replica down") })?;
    ///         let healthy = tg.spawn(async { Ok("ok") })?;
    ///         assert_eq!(healthy.await?, "ok"); // not cancelled
    ///         Ok(())
    ///     })
    ///     .await
    ///     .unwrap_err();
    /// assert_eq!(err.len(), 1);
    /// # }
    /// ```
    pub fn supervisor(mut self) -> Self {
        self.config.supervisor = true;
        self
    }

    /// At most `n` children run at once; the others wait, in spawn order, and
    /// start as running ones finish. `spawn` never blocks.
    ///
    /// # Panics
    ///
    /// If `n` is 0: no child could ever start. (`#[task_group(tg, limit = 0)]`
    /// and `gather!(limit = 0; ..)` are compile errors.)
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let pages = taskgroup::Builder::new()
    ///     .limit(2)
    ///     .gather_all((0..6).map(|page| async move { Ok::<_, ()>(page) }))
    ///     .await
    ///     .unwrap();
    /// assert_eq!(pages, [0, 1, 2, 3, 4, 5]);
    /// # }
    /// ```
    #[track_caller]
    pub fn limit(mut self, n: usize) -> Self {
        assert!(
            n > 0,
            "Builder::limit(0): no child could ever start; give a limit of at least 1, or no limit"
        );
        self.config.limit = Some(n);
        self
    }

    /// A deadline for the whole group, counted from its start: when it passes,
    /// every child and the body are cancelled and the [`ErrorGroup`](crate::ErrorGroup) holds a
    /// [`TaskError::TimedOut`](crate::TaskError::TimedOut) member named `deadline`. A deadline too far
    /// for the clock (`Duration::MAX`) never passes.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread", start_paused = true)] async fn main() {
    /// use std::time::Duration;
    ///
    /// let err = taskgroup::Builder::new()
    ///     .timeout(Duration::from_secs(5))
    ///     .scope(|tg| async move {
    ///         tg.spawn(async {
    ///             tokio::time::sleep(Duration::from_secs(60)).await;
    ///             Ok::<_, &str>(())
    ///         })?;
    ///         Ok(())
    ///     })
    ///     .await
    ///     .unwrap_err();
    /// assert_eq!(format!("{err:#}"), "task `deadline` failed: timed out after 5s");
    /// # }
    /// ```
    pub fn timeout(mut self, after: Duration) -> Self {
        self.config.timeout = Some(after);
        self
    }

    /// When the group ends early, children first see its
    /// [`token`](crate::TaskGroup::token) cancelled and get `grace` to finish before
    /// they are aborted. Without it they are aborted at once. A grace
    /// period too long for the clock (`Duration::MAX`) never ends: children
    /// are never aborted, only asked through the token.
    ///
    /// See [`TaskGroup::token`](crate::TaskGroup::token) for an example.
    pub fn grace_period(mut self, grace: Duration) -> Self {
        self.config.grace = Some(grace);
        self
    }

    /// Warn (a `tracing` warning naming the task) when one poll of a child
    /// holds its worker thread for `threshold` or longer: a blocking call the
    /// compile-time check could not see, such as one inside another crate.
    /// `None` turns the detector off. The default, like asyncio's debug
    /// mode, is 100 ms in debug builds with the `slow-poll` feature (on by
    /// default), and off in release builds, where it costs two clock reads
    /// per poll (see BENCHMARKS.md) unless set here.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// use std::time::Duration;
    ///
    /// taskgroup::Builder::new()
    ///     .slow_poll(Some(Duration::from_millis(20)))
    ///     .scope(|tg| async move {
    ///         tg.spawn_named("parser", async { Ok::<_, ()>(()) })?;
    ///         Ok(())
    ///     })
    ///     .await
    ///     .unwrap();
    /// # }
    /// ```
    pub fn slow_poll(mut self, threshold: Option<Duration>) -> Self {
        self.config.slow_poll = threshold;
        self
    }

    /// The former name of [`slow_poll`](Self::slow_poll), the spelling
    /// `#[task_group(tg, slow_poll = ..)]` uses too.
    ///
    /// ```
    /// #![allow(deprecated)]
    /// let builder = taskgroup::Builder::new().slow_poll_threshold(None);
    /// # let _ = builder;
    /// ```
    #[deprecated(note = "renamed `slow_poll`, as the `#[task_group]` option")]
    pub fn slow_poll_threshold(self, threshold: Option<Duration>) -> Self {
        self.slow_poll(threshold)
    }

    /// Start the futures of a [`race_all`](crate::race_all) one after
    /// another, like asyncio's `staggered_race` and Happy Eyeballs (RFC
    /// 8305): the next starts `delay` after the previous one started, or as
    /// soon as the previous one fails, whichever comes first. Without it
    /// they all start at once. `Duration::MAX` tries them strictly one at a
    /// time: the next starts only when the previous has failed.
    ///
    /// # Panics
    ///
    /// The methods other than [`race_all`](Self::race_all) panic when it is
    /// set: their children must all succeed, and nothing ends early for a
    /// later one to start.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread", start_paused = true)] async fn main() {
    /// use std::time::Duration;
    ///
    /// let mirror = taskgroup::Builder::new()
    ///     .stagger(Duration::from_millis(250))
    ///     .race_all(["mirror-a", "mirror-b"].map(|name| async move {
    ///         if name == "mirror-a" {
    ///             return Err("connection refused"); // mirror-b starts at once
    ///         }
    ///         Ok(name)
    ///     }))
    ///     .await
    ///     .unwrap();
    /// assert_eq!(mirror, "mirror-b");
    /// # }
    /// ```
    pub fn stagger(mut self, delay: Duration) -> Self {
        self.config.stagger = Some(delay);
        self
    }
}
