//! [`RaceScheduler`]: a race whose attempts are polled in place, for
//! `race!(local; ..)`.

use std::future::{Future, poll_fn};
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use super::attempts::Attempts;
use crate::error::ErrorGroup;
use crate::gather::Arg;

/// Polls the attempts of a `race!(local; ..)` where they are: no task, no
/// `Send` or `'static` needed. The first success wins; the others are
/// dropped when the race's future completes, before it returns.
pub struct RaceScheduler<T, E> {
    attempts: Attempts<E>,
    _value: PhantomData<fn() -> T>,
}

impl<T, E> RaceScheduler<T, E> {
    /// The race of a `race!(local; ..)` of `arity` arguments; stagger and
    /// deadline start at its first poll.
    pub fn new(arity: usize, stagger: Option<Duration>, timeout: Option<Duration>) -> Self {
        RaceScheduler {
            attempts: Attempts::new(arity, stagger, timeout),
            _value: PhantomData,
        }
    }

    /// Runs the race to its end. `poll_attempts(race, cx)` must call
    /// [`poll`](Self::poll) on every attempt, in order, and return the
    /// first value one gives.
    pub async fn run<P>(mut self, mut poll_attempts: P) -> Result<T, ErrorGroup<E>>
    where
        P: FnMut(&mut Self, &mut Context<'_>) -> Option<T>,
    {
        poll_fn(|cx| {
            loop {
                while self.attempts.due(cx).is_some() {}
                if let Some(value) = poll_attempts(&mut self, cx) {
                    self.attempts.log_panics_of_a_won_race();
                    return Poll::Ready(Ok(value));
                }
                // The latest attempt failed in this pass: the next starts now.
                if !self.attempts.again() {
                    break;
                }
            }
            if self.attempts.is_lost(cx) {
                return Poll::Ready(Err(self.attempts.error_group(Vec::new())));
            }
            Poll::Pending
        })
        .await
    }

    /// Polls attempt `index` if it has started and not ended; its value if
    /// it succeeded now.
    pub fn poll<F, O>(
        &mut self,
        mut attempt: Pin<&mut Arg<F, O, T, E>>,
        cx: &mut Context<'_>,
        index: usize,
    ) -> Option<T>
    where
        F: Future<Output = O>,
    {
        if !self.attempts.has_started(index)
            || attempt.has_ended()
            || attempt.as_mut().poll_end(cx).is_pending()
        {
            return None;
        }
        match attempt.take()? {
            Ok(value) => Some(value),
            Err(error) => {
                self.attempts.failed(index, error);
                None
            }
        }
    }
}
