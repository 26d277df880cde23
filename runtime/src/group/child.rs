//! [`Child`]: one child's run, from its `limit(n)` turn to its end.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll, ready};

use super::{ChildTag, Shared};
use crate::error::{Failure, TaskError, TaskName};
use crate::orphans::entered;
use crate::panic::{caught, poll_then_drop};

pin_project_lite::pin_project! {
    /// A child's run: its `limit(n)` turn, its future with its panic caught,
    /// its failure recorded in the group; its value is the task's output.
    ///
    /// One struct rather than combinators around the future, and no field
    /// beyond the future, its number and the group when there is no limit
    /// (`Unlimited` is empty, `on_err` a closure without captures): the
    /// child's size is the tokio task's size, so the memory per pending
    /// child, and tokio rounds a task up to 128 bytes.
    pub(super) struct Child<Adm, F, OnErr, E>
    where
        E: Send,
        E: 'static,
    {
        #[pin]
        admission: Adm,
        #[pin]
        future: Option<F>,
        on_err: OnErr,
        // Its number in the group, not its name: 8 bytes rather than 24 in
        // every task (see `ChildTag`); the name is looked up on a failure.
        tag: ChildTag,
        // The group, which is also where what the future drops hands its
        // tasks (see `orphans::entered`): `None` only while moved there,
        // during a poll or the drop of `future`.
        group: Option<Arc<Shared<E>>>,
    }

    impl<Adm, F, OnErr, E> PinnedDrop for Child<Adm, F, OnErr, E>
    where
        E: Send,
        E: 'static,
    {
        fn drop(this: Pin<&mut Self>) {
            let this = this.project();
            if this.future.is_some() {
                // Aborted (or the runtime is shutting down).
                drop_unfinished(this.future, *this.tag, this.group);
            }
            // Last: the scope may return once every child got here, so what
            // the future's destructors did (a nested group handing over its
            // children) is seen by then.
            if let Some(group) = this.group {
                group.forget_name(*this.tag);
                group.child_ended();
            }
        }
    }
}

/// When a child may start: at once, or when `limit(n)` gives it a slot.
pub(super) trait Admission {
    /// `Ready(true)` when the child's turn came in this poll (the group may
    /// have closed while it waited), `Ready(false)` when it had come before
    /// or there is no limit.
    fn poll_admit(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<bool>;
}

/// No `limit`: nothing to wait for, nothing kept.
pub(super) struct Unlimited;

impl Admission for Unlimited {
    #[inline(always)]
    fn poll_admit(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<bool> {
        Poll::Ready(false)
    }
}

pin_project_lite::pin_project! {
    /// A `limit(n)` turn, then the slot it gave, held until the child is
    /// dropped: after its failure is recorded, so a failure closes the
    /// group before a queued sibling can take the slot.
    pub(super) struct Limited<A, S> {
        #[pin]
        turn: Option<A>,
        slot: Option<S>,
        // Set when the turn comes, for the task tree's "queued".
        admitted: Admitted,
    }
}

/// The flag a `limit(n)` child sets when its turn comes, for the task tree;
/// nothing without it.
#[cfg(feature = "tree")]
type Admitted = Option<Arc<std::sync::atomic::AtomicBool>>;
#[cfg(not(feature = "tree"))]
type Admitted = ();

impl<A, S> Limited<A, S> {
    pub(super) fn new(turn: A) -> Self {
        Limited {
            turn: Some(turn),
            slot: None,
            admitted: Admitted::default(),
        }
    }

    /// Sets `admitted` when the turn comes.
    #[cfg(feature = "tree")]
    pub(super) fn telling(self, admitted: Option<Arc<std::sync::atomic::AtomicBool>>) -> Self {
        Limited { admitted, ..self }
    }
}

impl<A: Future<Output = Option<S>>, S> Admission for Limited<A, S> {
    fn poll_admit(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<bool> {
        let mut this = self.project();
        let Some(turn) = this.turn.as_mut().as_pin_mut() else {
            return Poll::Ready(false);
        };
        // Waiting here, not in `spawn`, keeps `spawn` non-blocking.
        let slot = ready!(turn.poll(cx));
        this.turn.set(None);
        *this.slot = slot;
        #[cfg(feature = "tree")]
        if let Some(admitted) = this.admitted {
            admitted.store(true, std::sync::atomic::Ordering::Release);
        }
        Poll::Ready(true)
    }
}

impl<Adm, F, OnErr, E: Send + 'static> Child<Adm, F, OnErr, E> {
    pub(super) fn new(
        admission: Adm,
        future: F,
        on_err: OnErr,
        tag: ChildTag,
        group: Arc<Shared<E>>,
    ) -> Self {
        Child {
            admission,
            future: Some(future),
            on_err,
            tag,
            group: Some(group),
        }
    }
}

/// Drops a child's future that did not finish, inside its group (so what
/// it drops hands its tasks over), a panic in its destructors (cleanup
/// failing on cancellation) being the child's failure.
fn drop_unfinished<F, E: Send + 'static>(
    mut future: Pin<&mut Option<F>>,
    tag: ChildTag,
    group: &mut Option<Arc<Shared<E>>>,
) {
    let panic = entered(group, || caught(|| future.set(None)));
    let Some(group) = group else { return };
    tracing::debug!(group = group.id, task = %group.name_of(tag), "child cancelled");
    if let Some(message) = panic {
        group.record(vec![Failure::new(
            group.name_of(tag),
            TaskError::Panicked(message),
        )]);
    }
}

impl<Adm, F, OnErr, T, Err, E> Future for Child<Adm, F, OnErr, E>
where
    Adm: Admission,
    F: Future<Output = Result<T, Err>>,
    OnErr: Fn(TaskName, Err) -> Vec<Failure<E>>,
    E: Send + 'static,
{
    /// `None` when the child failed or never started.
    type Output = Option<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let mut this = self.project();
        if ready!(this.admission.poll_admit(cx))
            && this
                .group
                .as_ref()
                .is_some_and(|group| group.closed.load(Ordering::SeqCst))
        {
            // Its turn came after the group closed: it never starts, a
            // cancellation.
            drop_unfinished(this.future, *this.tag, this.group);
            return Poll::Ready(None);
        }
        if this.future.is_none() {
            return Poll::Pending; // never polled again after it is done
        }
        let future = this.future.as_mut();
        let ended = ready!(entered(this.group, || poll_then_drop(
            future,
            |future| match future.as_pin_mut() {
                Some(future) => future.poll(cx),
                None => Poll::Pending,
            },
            |mut future| future.set(None),
        )));
        let ended = match ended {
            Ok(Ok(value)) => return Poll::Ready(Some(value)),
            Ok(Err(err)) => Ok(err),
            Err(message) => Err(message),
        };
        // The group is back in place after a poll (`entered`).
        if let Some(group) = this.group {
            let name = group.name_of(*this.tag);
            group.record(match ended {
                Ok(err) => (this.on_err)(name, err),
                Err(message) => vec![Failure::new(name, TaskError::Panicked(message))],
            });
        }
        Poll::Ready(None)
    }
}
