//! [`Child`]: one child's run, from its `limit(n)` turn to its end.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll, ready};

use super::Shared;
use crate::error::{Failure, TaskError, TaskName};
use crate::panic::{caught, poll_then_drop};

pin_project_lite::pin_project! {
    /// A child's run: its `limit(n)` turn, its future with its panic caught,
    /// its failure recorded in the group; its value is the task's output.
    ///
    /// One struct rather than combinators around the future: the name is
    /// kept once, for a failure and for a panic while the aborted child is
    /// dropped (reported here, under the name). The child's size is the
    /// tokio task's size, so the memory per pending child.
    pub(super) struct Child<A, S, F, OnErr, E> {
        #[pin]
        turn: Option<A>,
        // Released after the child's failure is recorded, so a failure
        // closes the group before a queued sibling can take the slot.
        slot: Option<S>,
        #[pin]
        future: Option<F>,
        on_err: Option<OnErr>,
        name: TaskName,
        group: Arc<Shared<E>>,
    }

    impl<A, S, F, OnErr, E> PinnedDrop for Child<A, S, F, OnErr, E> {
        fn drop(this: Pin<&mut Self>) {
            let this = this.project();
            if this.future.is_some() {
                // Aborted (or the runtime is shutting down).
                tracing::debug!(group = this.group.id, task = %this.name, "child cancelled");
                drop_unfinished(this.future, this.name, this.group);
            }
            // Last: the scope may return once every child got here, so what
            // the future's destructors did (a nested group handing over its
            // children) is seen by then.
            this.group.child_ended();
        }
    }
}

impl<A, S, F, OnErr, E> Child<A, S, F, OnErr, E> {
    pub(super) fn new(
        turn: Option<A>,
        future: F,
        on_err: OnErr,
        name: TaskName,
        group: Arc<Shared<E>>,
    ) -> Self {
        Child {
            turn,
            slot: None,
            future: Some(future),
            on_err: Some(on_err),
            name,
            group,
        }
    }
}

/// Drops a child's future that did not finish, a panic in its destructors
/// (cleanup failing on cancellation) being the child's failure.
fn drop_unfinished<F, E>(mut future: Pin<&mut Option<F>>, name: &TaskName, group: &Shared<E>) {
    if let Some(message) = caught(|| future.set(None)) {
        group.record(vec![Failure::new(
            name.clone(),
            TaskError::Panicked(message),
        )]);
    }
}

impl<A, S, F, OnErr, T, Err, E> Future for Child<A, S, F, OnErr, E>
where
    A: Future<Output = Option<S>>,
    F: Future<Output = Result<T, Err>>,
    OnErr: FnOnce(TaskName, Err) -> Vec<Failure<E>>,
{
    /// `None` when the child failed or never started.
    type Output = Option<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let mut this = self.project();
        if let Some(turn) = this.turn.as_mut().as_pin_mut() {
            // Waiting here, not in `spawn`, keeps `spawn` non-blocking.
            let slot = ready!(turn.poll(cx));
            this.turn.set(None);
            *this.slot = slot;
            if this.group.closed.load(Ordering::SeqCst) {
                // Its turn came after the group closed: it never
                // starts, a cancellation.
                drop_unfinished(this.future, this.name, this.group);
                return Poll::Ready(None);
            }
        }
        if this.future.is_none() {
            return Poll::Pending; // never polled again after it is done
        }
        let ended = ready!(poll_then_drop(
            this.future.as_mut(),
            |future| match future.as_pin_mut() {
                Some(future) => future.poll(cx),
                None => Poll::Pending,
            },
            |mut future| future.set(None),
        ));
        let failures = match ended {
            Ok(Ok(value)) => return Poll::Ready(Some(value)),
            Ok(Err(err)) => match this.on_err.take() {
                Some(on_err) => on_err(this.name.clone(), err),
                None => return Poll::Pending,
            },
            Err(message) => vec![Failure::new(
                this.name.clone(),
                TaskError::Panicked(message),
            )],
        };
        this.group.record(failures);
        Poll::Ready(None)
    }
}
