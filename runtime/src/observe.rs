//! What the group tells the outside world about its children: a tracing span
//! per child, and the slow-poll detector that catches blocking calls the
//! compile-time check cannot see (asyncio debug mode's
//! `slow_callback_duration`).

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use tokio::runtime::Handle;
use tokio::task::{AbortHandle, JoinHandle, JoinSet};
use tracing::Instrument as _;

use crate::error::TaskName;

/// The default slow-poll threshold, as asyncio's `slow_callback_duration`.
pub(crate) const DEFAULT_SLOW_POLL: Duration = Duration::from_millis(100);

/// The slow-poll threshold of a group that does not set one: on in debug
/// builds with the `slow-poll` feature, like asyncio's debug mode; release
/// builds do not pay its two clock reads per poll unless asked.
pub(crate) fn default_slow_poll() -> Option<Duration> {
    (cfg!(feature = "slow-poll") && cfg!(debug_assertions)).then_some(DEFAULT_SLOW_POLL)
}

/// A process-wide number for each group, shown in its children's spans.
pub(crate) fn next_group_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Where a child is spawned: a task of its own, on a group's runtime, on
/// the current one, or in a `JoinSet` (an `as_completed` stream's).
pub(crate) trait SpawnTarget<O> {
    /// What the spawner gives back for the task.
    type Task;
    fn spawn<F>(self, child: F) -> Self::Task
    where
        F: Future<Output = O> + Send + 'static;
}

/// A task of its own on a given runtime (a group's: its `spawn` may be
/// called from outside the runtime).
impl<O: Send + 'static> SpawnTarget<O> for &Handle {
    type Task = JoinHandle<O>;
    fn spawn<F>(self, child: F) -> JoinHandle<O>
    where
        F: Future<Output = O> + Send + 'static,
    {
        Handle::spawn(self, child)
    }
}

/// A task of its own on the current runtime (`tokio::spawn`).
pub(crate) struct OnRuntime;

impl<O: Send + 'static> SpawnTarget<O> for OnRuntime {
    type Task = JoinHandle<O>;
    fn spawn<F>(self, child: F) -> JoinHandle<O>
    where
        F: Future<Output = O> + Send + 'static,
    {
        tokio::spawn(child)
    }
}

/// A task of its own on the current runtime, in the set.
impl<O: Send + 'static> SpawnTarget<O> for &mut JoinSet<O> {
    type Task = AbortHandle;
    fn spawn<F>(self, child: F) -> AbortHandle
    where
        F: Future<Output = O> + Send + 'static,
    {
        JoinSet::spawn(self, child)
    }
}

/// Spawns `child`, inside a span when tracing wants one and behind the
/// slow-poll detector when a threshold is set. Each wrapper is only added
/// when it does something, so an untraced child costs nothing, not even its
/// name written out (`name` is called only for a wrapper).
pub(crate) fn spawn_observed<O, F, S>(
    spawner: S,
    child: F,
    group: u64,
    name: impl FnOnce() -> TaskName,
    slow_poll: Option<Duration>,
) -> S::Task
where
    F: Future<Output = O> + Send + 'static,
    S: SpawnTarget<O>,
{
    if slow_poll.is_none() && !tracing::level_enabled!(tracing::Level::DEBUG) {
        return spawner.spawn(child);
    }
    let name = name();
    match slow_poll {
        Some(threshold) => spawn_in_span(
            spawner,
            detect_slow_polls(child, name.clone(), threshold),
            group,
            &name,
        ),
        None => spawn_in_span(spawner, child, group, &name),
    }
}

fn spawn_in_span<O, F, S>(spawner: S, child: F, group: u64, name: &TaskName) -> S::Task
where
    F: Future<Output = O> + Send + 'static,
    S: SpawnTarget<O>,
{
    // Most programs trace nothing at debug level: then not even a disabled
    // span is made (a static comparison instead of a callsite lookup).
    if !tracing::level_enabled!(tracing::Level::DEBUG) {
        return spawner.spawn(child);
    }
    let span = tracing::debug_span!("task", group, task = %name);
    if span.is_disabled() {
        spawner.spawn(child)
    } else {
        spawner.spawn(child.instrument(span))
    }
}

pin_project_lite::pin_project! {
    /// Warns, naming the task, about every poll that holds the worker thread
    /// longer than `threshold`.
    ///
    /// A struct, not an `async fn`: an `async fn` keeps both its argument and
    /// the pinned copy it polls, which doubled every child task's size.
    struct DetectSlowPolls<F> {
        #[pin]
        child: F,
        name: TaskName,
        threshold: Duration,
        // Without a tracing subscriber the warning goes to stderr, once.
        told_stderr: bool,
    }
}

fn detect_slow_polls<F: Future>(
    child: F,
    name: TaskName,
    threshold: Duration,
) -> DetectSlowPolls<F> {
    DetectSlowPolls {
        child,
        name,
        threshold,
        told_stderr: false,
    }
}

/// Whether no tracing subscriber would see an event from this thread, so a
/// warning sent through tracing alone would be lost.
fn no_subscriber() -> bool {
    tracing::dispatcher::get_default(|dispatch| dispatch.is::<tracing::subscriber::NoSubscriber>())
}

impl<F: Future> Future for DetectSlowPolls<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        let started = Instant::now();
        let poll = this.child.poll(cx);
        let held = started.elapsed();
        let (name, threshold) = (&*this.name, *this.threshold);
        if held >= threshold {
            if no_subscriber() {
                if !std::mem::replace(this.told_stderr, true) {
                    eprintln!(
                        "taskgroup: task `{name}` held its worker thread for {held:?} in one poll \
                         (threshold {threshold:?}); a blocking call is likely: move it into \
                         `tokio::task::spawn_blocking`. (Written here once per task because no \
                         tracing subscriber is installed; with one, every slow poll is a WARN event.)"
                    );
                }
            } else {
                tracing::warn!(
                    task = %name,
                    held_ms = held.as_millis() as u64,
                    "task `{name}` held its worker thread for {held:?} in one poll (threshold {threshold:?}); \
                     a blocking call is likely: move it into `tokio::task::spawn_blocking`"
                );
            }
        }
        poll
    }
}
