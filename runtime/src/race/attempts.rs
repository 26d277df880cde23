//! [`Attempts`]: when a race starts its next attempt, which attempts have
//! failed, and when the race is lost. Shared by both ways of running the
//! attempts (spawned, or polled in place with `local`).

use std::future::Future;
use std::pin::Pin;
use std::task::Context;
use std::time::Duration;

use tokio::time::{Instant, Sleep};

use crate::deadline::Deadline;
use crate::error::{ErrorGroup, Failure, TaskError, TaskName};

/// The state of a race that has no winner yet.
pub(crate) struct Attempts<E> {
    arity: usize,
    /// Attempts started so far: always a prefix, they start in order.
    started: usize,
    stagger: Option<Duration>,
    /// When the next attempt is due if the latest one has not failed by
    /// then; `None` with a stagger too long for the clock (`Duration::MAX`).
    next_start: Option<Pin<Box<Sleep>>>,
    latest_failed: bool,
    /// By attempt index, in the order they failed.
    failures: Vec<(usize, TaskError<E>)>,
    deadline: Deadline,
}

impl<E> Attempts<E> {
    pub(crate) fn new(arity: usize, stagger: Option<Duration>, timeout: Option<Duration>) -> Self {
        Attempts {
            arity,
            started: 0,
            stagger,
            next_start: None,
            latest_failed: false,
            failures: Vec::new(),
            deadline: Deadline::new(timeout),
        }
    }

    /// The attempt to start now, if one is due: the first at once; without
    /// a stagger, all of them; with one, the next as soon as the latest
    /// started has failed or `stagger` after it started. `cx` is woken when
    /// the next one falls due by time.
    pub(crate) fn due(&mut self, cx: &mut Context<'_>) -> Option<usize> {
        self.deadline.start();
        if self.started == self.arity {
            return None;
        }
        let due = self.started == 0
            || self.latest_failed
            || match self.stagger {
                None => true,
                Some(_) => self
                    .next_start
                    .as_mut()
                    .is_some_and(|timer| timer.as_mut().poll(cx).is_ready()),
            };
        if !due {
            return None;
        }
        let index = self.started;
        self.started += 1;
        self.latest_failed = false;
        if let Some(delay) = self.stagger {
            match (Instant::now().checked_add(delay), self.next_start.as_mut()) {
                (Some(at), Some(timer)) => timer.as_mut().reset(at),
                (Some(at), None) => self.next_start = Some(Box::pin(tokio::time::sleep_until(at))),
                (None, _) => self.next_start = None,
            }
        }
        Some(index)
    }

    /// Whether attempt `index` has started.
    pub(crate) fn has_started(&self, index: usize) -> bool {
        index < self.started
    }

    /// Attempt `index` failed; if it is the latest started, the next is due
    /// now.
    pub(crate) fn failed(&mut self, index: usize, error: TaskError<E>) {
        if self.started.checked_sub(1) == Some(index) {
            self.latest_failed = true;
        }
        self.failures.push((index, error));
    }

    /// Whether an attempt fell due since [`due`](Self::due) last said none
    /// was: the latest one failed since.
    pub(crate) fn again(&self) -> bool {
        self.latest_failed && self.started < self.arity
    }

    /// Whether the race is lost: every attempt failed, or the deadline
    /// passed. If not, `cx` is woken at the deadline.
    pub(crate) fn is_lost(&mut self, cx: &mut Context<'_>) -> bool {
        self.failures.len() >= self.arity || self.deadline.poll_passed(cx)
    }

    /// Once the race is won: logs the attempts that panicked (while
    /// running, or when their late value was dropped). Attempts that failed
    /// are what a race is for; a panic is a bug, and the result has no
    /// place for it, so it is said rather than lost.
    pub(crate) fn log_panics_of_a_won_race(&mut self) {
        for (index, error) in std::mem::take(&mut self.failures) {
            if let TaskError::Panicked(message) = error {
                tracing::error!("attempt `task-{index}` of a won race panicked: {message}");
            }
        }
    }

    /// The error of a lost race: every failure in start order (attempt
    /// order), then the deadline if it passed, then `more` (failures of no
    /// attempt).
    pub(crate) fn error_group(&mut self, more: Vec<Failure<E>>) -> ErrorGroup<E> {
        let mut failures = std::mem::take(&mut self.failures);
        failures.sort_by_key(|(index, _)| *index);
        let failures = failures
            .into_iter()
            .map(|(index, error)| Failure::new(TaskName::seq(index as u64), error))
            .chain(self.deadline.failure())
            .chain(more)
            .collect();
        ErrorGroup::from_failures(failures)
            .unwrap_or_else(|| unreachable!("a race is lost by a failure or by its deadline"))
    }
}
