//! [`Deadline`]: `timeout` for a gather or a race, counted from its first
//! poll.

use std::future::Future;
use std::pin::Pin;
use std::task::Context;
use std::time::Duration;

use tokio::time::Sleep;

use crate::error::{DEADLINE_NAME, Failure, TaskError, TaskName};

/// A deadline that starts at the first poll rather than at construction, so
/// a gather or a race may be built outside the runtime and awaited later.
pub(crate) struct Deadline {
    after: Option<Duration>,
    /// Boxed: a `Sleep` is large, and most gathers have no deadline.
    timer: Option<Pin<Box<Sleep>>>,
    passed: bool,
}

impl Deadline {
    /// A deadline `after` from the first poll; `None`: none.
    pub(crate) fn new(after: Option<Duration>) -> Self {
        Deadline {
            after,
            timer: None,
            passed: false,
        }
    }

    /// Starts the clock, at the first call.
    #[inline(always)]
    pub(crate) fn start(&mut self) {
        if let (Some(after), None) = (self.after, &self.timer) {
            self.timer = Some(Box::pin(tokio::time::sleep(after)));
        }
    }

    /// Whether it has passed; if not, `cx` is woken when it does.
    #[inline(always)]
    pub(crate) fn poll_passed(&mut self, cx: &mut Context<'_>) -> bool {
        if !self.passed
            && let Some(timer) = self.timer.as_mut()
        {
            self.passed = timer.as_mut().poll(cx).is_ready();
        }
        self.passed
    }

    /// `TimedOut` once it has passed.
    pub(crate) fn timed_out<E>(&self) -> Option<TaskError<E>> {
        self.after.filter(|_| self.passed).map(TaskError::TimedOut)
    }

    /// The member named `deadline` that stands for it in an error group,
    /// once it has passed.
    pub(crate) fn failure<E>(&self) -> Option<Failure<E>> {
        self.timed_out()
            .map(|error| Failure::new(TaskName::named(DEADLINE_NAME), error))
    }
}
