//! What a group says to a caller it turns away: a spawn it refused
//! ([`SpawnError`]) and a handle that resolved without a value
//! ([`Cancelled`]).

use std::error::Error;
use std::fmt;
use std::marker::PhantomData;

use super::{BODY_NAME, ErrorGroup, Failure, TaskError, TaskName};

/// Spawning was refused; the future was dropped without being polled.
///
/// Generic over the group's error type only so that `?` can turn it into an
/// [`ErrorGroup<E>`] inside a body.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// use taskgroup::SpawnErrorKind;
///
/// // A handle that escaped its scope.
/// let tg = taskgroup::scope(|tg| async move { Ok::<_, taskgroup::ErrorGroup<()>>(tg.clone()) })
///     .await
///     .unwrap();
/// let err = tg.spawn(async { Ok(()) }).unwrap_err();
/// assert_eq!(err.kind(), SpawnErrorKind::Finished);
/// # }
/// ```
pub struct SpawnError<E> {
    kind: SpawnErrorKind,
    _group: PhantomData<fn() -> E>,
}

/// Why a spawn was refused.
///
/// ```
/// let kind = taskgroup::SpawnErrorKind::Closing;
/// assert_ne!(kind, taskgroup::SpawnErrorKind::Finished);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SpawnErrorKind {
    /// The group has ended: its body and every child are done.
    Finished,
    /// The group is cancelling its children after a failure, a timeout or
    /// `cancel()`, so it takes no new work (asyncio raises `RuntimeError` here).
    Closing,
}

impl<E> SpawnError<E> {
    pub(crate) fn new(kind: SpawnErrorKind) -> Self {
        SpawnError {
            kind,
            _group: PhantomData,
        }
    }

    /// Why the spawn was refused.
    ///
    /// See [`SpawnError`] for an example.
    pub fn kind(&self) -> SpawnErrorKind {
        self.kind
    }
}

impl<E> Clone for SpawnError<E> {
    fn clone(&self) -> Self {
        SpawnError::new(self.kind)
    }
}

impl<E> PartialEq for SpawnError<E> {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind
    }
}

impl<E> Eq for SpawnError<E> {}

impl<E> fmt::Debug for SpawnError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SpawnError")
            .field("kind", &self.kind)
            .finish()
    }
}

impl<E> fmt::Display for SpawnError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.kind {
            SpawnErrorKind::Finished => {
                "cannot spawn into a task group that has finished; spawn while its body runs"
            }
            SpawnErrorKind::Closing => {
                "cannot spawn into a task group that is closing after a failure, timeout or cancel"
            }
        })
    }
}

impl<E> Error for SpawnError<E> {}

impl<E> From<SpawnError<E>> for ErrorGroup<E> {
    /// A refused spawn seen by the body: the group is already ending, so it is
    /// recorded as a cancellation and dropped when real failures exist.
    fn from(_: SpawnError<E>) -> Self {
        ErrorGroup::from_task_error(BODY_NAME, TaskError::Cancelled)
    }
}

/// A task handle resolved without a value: the task was aborted, cancelled
/// with its group, or failed (its failure is reported by the group, once).
///
/// This is what awaiting one handle gives, with the task's name; inside a
/// group's error, a cancelled member's outcome is
/// [`TaskError::Cancelled`](super::TaskError::Cancelled).
///
/// Generic over the group's error type only so that `?` can turn it into an
/// [`ErrorGroup<E>`] inside a body.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// taskgroup::scope(|tg| async move {
///     let handle = tg.spawn(std::future::pending::<Result<(), ()>>())?;
///     handle.abort();
///     let err = handle.await.unwrap_err();
///     assert_eq!(err.name(), "task-0");
///     Ok::<_, taskgroup::ErrorGroup<()>>(())
/// })
/// .await
/// .unwrap();
/// # }
/// ```
pub struct Cancelled<E> {
    name: TaskName,
    _group: PhantomData<fn() -> E>,
}

impl<E> Cancelled<E> {
    pub(crate) fn new(name: TaskName) -> Self {
        Cancelled {
            name,
            _group: PhantomData,
        }
    }

    /// The task that produced no value.
    ///
    /// See [`Cancelled`] for an example.
    pub fn name(&self) -> &TaskName {
        &self.name
    }
}

impl<E> Clone for Cancelled<E> {
    fn clone(&self) -> Self {
        Cancelled::new(self.name.clone())
    }
}

impl<E> PartialEq for Cancelled<E> {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl<E> Eq for Cancelled<E> {}

impl<E> fmt::Debug for Cancelled<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cancelled")
            .field("name", &self.name)
            .finish()
    }
}

impl<E> fmt::Display for Cancelled<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "task `{}` produced no value: it was cancelled, or it failed and its group reports the failure",
            self.name
        )
    }
}

impl<E> Error for Cancelled<E> {}

impl<E> From<Cancelled<E>> for ErrorGroup<E> {
    /// A body that propagates a cancelled handle with `?`; dropped from the
    /// group's error when real failures exist.
    fn from(c: Cancelled<E>) -> Self {
        ErrorGroup {
            failures: vec![Failure::new(c.name, TaskError::Cancelled)],
        }
    }
}
