//! [`RaceSpawner`]: a race whose attempts are tokio tasks, for `race_all`
//! and `race!` without `local`.

use std::future::{Future, poll_fn};
use std::task::{Context, Poll, ready};
use std::time::Duration;

use tokio::task::JoinSet;

use super::attempts::Attempts;
use crate::error::{ErrorGroup, Failure, ORPHAN_NAME, TaskError, TaskName};
use crate::observe::{default_slow_poll, next_group_id, spawn_observed};
use crate::orphans::{OrphanScope, hand_over_to_enclosing};
use crate::panic::drop_caught;

/// What an attempt's task gives back: its index and its outcome.
type Joined<T, E> = (usize, Result<T, TaskError<E>>);

/// Runs a race's attempts as tasks, started in order as `Attempts` says,
/// and watches them in completion order. The first success wins; then the
/// others are aborted and waited for, with every task a dropped nested group
/// handed over meanwhile, so nothing the race started outlives it.
pub struct RaceSpawner<T: Send + 'static, E: Send + 'static> {
    attempts: Attempts<E>,
    running: Running<T, E>,
    /// Tasks of nested groups dropped inside the attempts.
    orphans: OrphanScope,
    /// Shown in the attempts' tracing spans.
    id: u64,
    slow_poll: Option<Duration>,
    /// Whether [`poll_stop`](Self::poll_stop) has aborted the attempts.
    stopping: bool,
    /// Failures of no attempt: panics while dropping orphans' outcomes.
    orphan_panics: Vec<String>,
    /// The race's node in the task tree.
    #[cfg(feature = "tree")]
    pub(crate) tree: crate::tree::ListNode,
}

/// The attempts' tasks; aborted and handed to the enclosing group, which
/// waits for them, if the race is dropped before it ends.
struct Running<T: Send + 'static, E: Send + 'static>(JoinSet<Joined<T, E>>);

impl<T: Send + 'static, E: Send + 'static> Drop for Running<T, E> {
    fn drop(&mut self) {
        hand_over_to_enclosing(std::mem::take(&mut self.0));
    }
}

/// A `race!` argument until the race starts it. `spawn` is
/// `RaceSpawner::spawn` for its type, made where the argument is checked:
/// [`RaceSpawner::start`] then needs no bound, so an argument of the wrong
/// type is one error, at the argument.
pub struct Unstarted<A, T: Send + 'static, E: Send + 'static> {
    attempt: Option<A>,
    spawn: fn(&mut RaceSpawner<T, E>, usize, A),
}

impl<A, T: Send + 'static, E: Send + 'static> Unstarted<A, T, E>
where
    A: Future<Output = Result<T, TaskError<E>>> + Send + 'static,
{
    pub(crate) fn new(attempt: A) -> Self {
        Unstarted {
            attempt: Some(attempt),
            spawn: RaceSpawner::spawn,
        }
    }
}

/// What a race wants next from the code that holds its attempts.
enum Step<T> {
    /// Start attempt `index` now ([`RaceSpawner::start`]).
    Start(usize),
    Won(T),
    Lost,
}

impl<T: Send + 'static, E: Send + 'static> RaceSpawner<T, E> {
    /// The race of a `race!` of `arity` arguments; stagger and deadline
    /// start at its first poll.
    #[cfg_attr(feature = "tree", track_caller)]
    pub fn new(arity: usize, stagger: Option<Duration>, timeout: Option<Duration>) -> Self {
        RaceSpawner::with(arity, stagger, timeout, default_slow_poll())
    }

    #[cfg_attr(feature = "tree", track_caller)]
    pub(crate) fn with(
        arity: usize,
        stagger: Option<Duration>,
        timeout: Option<Duration>,
        slow_poll: Option<Duration>,
    ) -> Self {
        let id = next_group_id();
        RaceSpawner {
            attempts: Attempts::new(arity, stagger, timeout),
            running: Running(JoinSet::new()),
            orphans: OrphanScope::unsignalled(id),
            id,
            slow_poll,
            stopping: false,
            orphan_panics: Vec::new(),
            #[cfg(feature = "tree")]
            tree: crate::tree::ListNode::new(crate::tree::GroupKind::Race, arity, None),
        }
    }

    /// Runs the race to its end. `start(race, index)` must call
    /// [`start`](Self::start) with attempt `index`'s future; attempts are
    /// asked for in order, each once. Returns once the winner is known and
    /// every other attempt has ended (its future dropped).
    pub async fn run<S>(mut self, mut start: S) -> Result<T, ErrorGroup<E>>
    where
        S: FnMut(&mut Self, usize),
    {
        let won = poll_fn(|cx| {
            loop {
                match ready!(self.poll_step(cx)) {
                    Step::Start(index) => start(&mut self, index),
                    Step::Won(value) => return Poll::Ready(Some(value)),
                    Step::Lost => return Poll::Ready(None),
                }
            }
        })
        .await;
        // Attempts that never started are dropped now, before the others
        // are waited for.
        drop(start);
        poll_fn(|cx| self.poll_stop(cx)).await;
        self.finish(won)
    }

    /// Spawns a `race!` argument as attempt `index`, once.
    pub fn start<A>(&mut self, index: usize, unstarted: &mut Unstarted<A, T, E>) {
        if let Some(attempt) = unstarted.attempt.take() {
            (unstarted.spawn)(self, index, attempt);
        }
    }

    /// Spawns `attempt` as attempt `index`.
    pub(crate) fn spawn<A>(&mut self, index: usize, attempt: A)
    where
        A: Future<Output = Result<T, TaskError<E>>> + Send + 'static,
    {
        let child = self.orphans.run(async move { (index, attempt.await) });
        let name = TaskName::seq(index as u64);
        let _task = spawn_observed(&mut self.running.0, child, self.id, || name, self.slow_poll);
        #[cfg(feature = "tree")]
        self.tree.started(index, _task.id());
    }

    fn poll_step(&mut self, cx: &mut Context<'_>) -> Poll<Step<T>> {
        #[cfg(feature = "tree")]
        self.tree
            .open(self.id, crate::orphans::tree_parent(), |_| {});
        if let Some(index) = self.attempts.due(cx) {
            return Poll::Ready(Step::Start(index));
        }
        // `Pending` when tokio's cooperative budget is spent, too: the task
        // is woken again to go on.
        while let Poll::Ready(Some(joined)) = self.running.0.poll_join_next(cx) {
            let joined = joined_outcome(joined);
            #[cfg(feature = "tree")]
            self.tree.ended(joined.0);
            match joined {
                (_, Ok(value)) => return Poll::Ready(Step::Won(value)),
                (index, Err(error)) => self.attempts.failed(index, error),
            }
            if let Some(index) = self.attempts.due(cx) {
                return Poll::Ready(Step::Start(index));
            }
        }
        if self.attempts.is_lost(cx) {
            return Poll::Ready(Step::Lost);
        }
        Poll::Pending
    }

    /// Aborts the attempts still running and waits for them to end, then
    /// for the orphans. Failures met meanwhile count if the race is lost.
    fn poll_stop(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        if !self.stopping {
            self.stopping = true;
            #[cfg(feature = "tree")]
            self.tree.stopping();
            self.running.0.abort_all();
        }
        while let Some(joined) = ready!(self.running.0.poll_join_next(cx)) {
            let joined = joined_outcome(joined);
            #[cfg(feature = "tree")]
            self.tree.ended(joined.0);
            match joined {
                (_, Err(error)) if error.is_cancelled() => {}
                (index, Err(error)) => self.attempts.failed(index, error),
                // A loser that succeeded too late: its value is dropped, a
                // panic in its destructor is that attempt's failure.
                (index, Ok(value)) => {
                    if let Some(message) = drop_caught(value) {
                        self.attempts.failed(index, TaskError::Panicked(message));
                    }
                }
            }
        }
        self.orphans.poll_drain(cx, &mut self.orphan_panics)
    }

    /// The race's result, once every attempt and orphan has ended.
    fn finish(self, won: Option<T>) -> Result<T, ErrorGroup<E>> {
        let RaceSpawner {
            mut attempts,
            orphans,
            orphan_panics,
            ..
        } = self;
        orphans.ended();
        match won {
            Some(value) => {
                attempts.log_panics_of_a_won_race();
                for message in orphan_panics {
                    // A won race's result has no place for it: said, not lost.
                    tracing::error!("a task handed to a won race panicked when dropped: {message}");
                }
                Ok(value)
            }
            None => Err(attempts.error_group(
                orphan_panics
                    .into_iter()
                    .map(|message| {
                        Failure::new(TaskName::named(ORPHAN_NAME), TaskError::Panicked(message))
                    })
                    .collect(),
            )),
        }
    }
}

/// An attempt's outcome from its task's join. The attempt catches its own
/// panics, so a join error is a runtime shutting down; the index is lost
/// with it, which a cancellation report shows.
fn joined_outcome<T, E>(joined: Result<Joined<T, E>, tokio::task::JoinError>) -> Joined<T, E> {
    joined.unwrap_or_else(|_| (usize::MAX, Err(TaskError::Cancelled)))
}
