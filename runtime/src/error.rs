//! The failure types: what one task can fail with, and the group of all of them.

use std::error::Error;
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

pub use crate::name::TaskName;

/// How one task failed, or why it has no value.
///
/// ```
/// use taskgroup::TaskError;
///
/// let err: TaskError<std::io::Error> = TaskError::Panicked("index out of bounds".into());
/// assert_eq!(err.to_string(), "panicked: index out of bounds");
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum TaskError<E> {
    /// The task returned `Err(E)`.
    Failed(E),
    /// The task panicked; the panic's message (or a note for a non-string payload).
    Panicked(String),
    /// The group's deadline passed while the task was still running.
    TimedOut(Duration),
    /// The task was cancelled before it finished. Cancellation is never a
    /// failure of the group; this only appears in settled results and when a
    /// body propagates a cancelled handle with `?`.
    Cancelled,
}

impl<E> TaskError<E> {
    /// The user's error, if the task returned one.
    ///
    /// ```
    /// let err = taskgroup::TaskError::Failed(7);
    /// assert_eq!(err.as_failed(), Some(&7));
    /// ```
    pub fn as_failed(&self) -> Option<&E> {
        match self {
            TaskError::Failed(e) => Some(e),
            _ => None,
        }
    }

    /// A one-word name of the variant, for logs.
    pub(crate) fn kind_name(&self) -> &'static str {
        match self {
            TaskError::Failed(_) => "failed",
            TaskError::Panicked(_) => "panicked",
            TaskError::TimedOut(_) => "timed out",
            TaskError::Cancelled => "cancelled",
        }
    }

    /// Whether this is a cancellation rather than a failure.
    ///
    /// ```
    /// assert!(taskgroup::TaskError::<()>::Cancelled.is_cancelled());
    /// ```
    pub fn is_cancelled(&self) -> bool {
        matches!(self, TaskError::Cancelled)
    }
}

impl<E: fmt::Display> fmt::Display for TaskError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TaskError::Failed(e) => write!(f, "failed: {e}"),
            TaskError::Panicked(msg) => write!(f, "panicked: {msg}"),
            TaskError::TimedOut(after) => write!(f, "timed out after {after:?}"),
            TaskError::Cancelled => f.write_str("was cancelled"),
        }
    }
}

impl<E: Error + 'static> Error for TaskError<E> {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            TaskError::Failed(e) => Some(e),
            _ => None,
        }
    }
}

/// One member of an [`ErrorGroup`]: which task failed, and how.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// let group = taskgroup::gather_all([async { Err::<(), _>("boom") }]).await.unwrap_err();
/// let failure = group.first();
/// assert_eq!(failure.task(), "task-0");
/// assert_eq!(failure.error().as_failed(), Some(&"boom"));
/// # }
/// ```
#[derive(Debug)]
pub struct Failure<E> {
    task: TaskName,
    error: TaskError<E>,
}

impl<E> Failure<E> {
    pub(crate) fn new(task: TaskName, error: TaskError<E>) -> Self {
        Failure { task, error }
    }

    /// The name of the task that failed.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let group = taskgroup::gather_all([async { Err::<(), _>(1) }]).await.unwrap_err();
    /// assert_eq!(group.first().task().to_string(), "task-0");
    /// # }
    /// ```
    pub fn task(&self) -> &TaskName {
        &self.task
    }

    /// How it failed.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let group = taskgroup::gather_all([async { Err::<(), _>(1) }]).await.unwrap_err();
    /// assert!(matches!(group.first().error(), taskgroup::TaskError::Failed(1)));
    /// # }
    /// ```
    pub fn error(&self) -> &TaskError<E> {
        &self.error
    }

    /// Splits into the task's name and its error.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let group = taskgroup::gather_all([async { Err::<(), _>(1) }]).await.unwrap_err();
    /// let (name, error) = group.into_iter().next().unwrap().into_parts();
    /// assert_eq!(name, "task-0");
    /// assert_eq!(error.as_failed(), Some(&1));
    /// # }
    /// ```
    pub fn into_parts(self) -> (TaskName, TaskError<E>) {
        (self.task, self.error)
    }

    fn nested_under(self, parent: &TaskName) -> Self {
        Failure {
            task: parent.nest(&self.task),
            error: self.error,
        }
    }
}

impl<E: fmt::Display> fmt::Display for Failure<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "task `{}` {}", self.task, self.error)
    }
}

impl<E: Error + 'static> Error for Failure<E> {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&self.error)
    }
}

/// Every failure of a task group, in the order they happened (asyncio's
/// `ExceptionGroup`).
///
/// Never empty. Failures of nested groups are flattened to their leaves, named
/// `outer/inner`. `From<E>` lets `?` turn a plain error into a group inside a
/// task-group body.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// use taskgroup::ErrorGroup;
///
/// let err: ErrorGroup<String> = taskgroup::gather_settled(
///     ["a", "b"].map(|name| async move { Err::<u8, _>(format!("{name} is down")) }),
/// )
/// .await
/// .into_iter()
/// .filter_map(Result::err)
/// .map(|e| ErrorGroup::from_task_error("worker", e))
/// .reduce(ErrorGroup::merge)
/// .unwrap();
/// assert_eq!(err.len(), 2);
/// println!("{err}");
/// # }
/// ```
pub struct ErrorGroup<E> {
    failures: Vec<Failure<E>>,
}

impl<E> ErrorGroup<E> {
    pub(crate) fn from_failures(failures: Vec<Failure<E>>) -> Option<Self> {
        (!failures.is_empty()).then_some(ErrorGroup { failures })
    }

    /// A group of one failure of the task called `task`.
    ///
    /// ```
    /// use taskgroup::{ErrorGroup, TaskError};
    /// let group = ErrorGroup::from_task_error("loader", TaskError::Failed("disk full"));
    /// assert_eq!(group.to_string(), "1 task failed:\n  task `loader` failed: disk full");
    /// ```
    pub fn from_task_error(task: impl Into<Arc<str>>, error: TaskError<E>) -> Self {
        ErrorGroup {
            failures: vec![Failure::new(TaskName::named(task), error)],
        }
    }

    /// Appends every failure of `other` after this group's.
    ///
    /// ```
    /// use taskgroup::{ErrorGroup, TaskError};
    /// let a = ErrorGroup::from_task_error("a", TaskError::Failed(1));
    /// let b = ErrorGroup::from_task_error("b", TaskError::Failed(2));
    /// assert_eq!(a.merge(b).len(), 2);
    /// ```
    pub fn merge(mut self, other: ErrorGroup<E>) -> Self {
        self.failures.extend(other.failures);
        self
    }

    /// Whether the group ended by a cancellation and nothing failed: every
    /// member is [`TaskError::Cancelled`]. A scope returns such a group when
    /// [`TaskGroup::cancel`](crate::TaskGroup::cancel) dropped its body
    /// before the body returned a value.
    ///
    /// ```
    /// use taskgroup::{ErrorGroup, TaskError};
    /// let cancelled = ErrorGroup::<String>::from_task_error("body", TaskError::Cancelled);
    /// assert!(cancelled.is_cancelled());
    /// assert_eq!(cancelled.to_string(), "the task group was cancelled:\n  task `body` was cancelled");
    /// assert!(!ErrorGroup::from(5).is_cancelled());
    /// ```
    pub fn is_cancelled(&self) -> bool {
        self.failures.iter().all(|f| f.error().is_cancelled())
    }

    /// How many failures the group holds (at least one).
    ///
    /// ```
    /// let group = taskgroup::ErrorGroup::from(5);
    /// assert_eq!(group.len(), 1);
    /// ```
    #[allow(clippy::len_without_is_empty)] // a group is never empty
    pub fn len(&self) -> usize {
        self.failures.len()
    }

    /// The failure that happened first: the one that cancelled the others.
    ///
    /// ```
    /// let group = taskgroup::ErrorGroup::from("first");
    /// assert_eq!(group.first().error().as_failed(), Some(&"first"));
    /// ```
    pub fn first(&self) -> &Failure<E> {
        &self.failures[0]
    }

    /// The failures in the order they happened.
    ///
    /// ```
    /// let group = taskgroup::ErrorGroup::from(3);
    /// assert_eq!(group.iter().count(), 1);
    /// ```
    pub fn iter(&self) -> std::slice::Iter<'_, Failure<E>> {
        self.failures.iter()
    }

    /// The user errors (`TaskError::Failed`) in order, skipping panics and timeouts.
    ///
    /// ```
    /// let group = taskgroup::ErrorGroup::from("e");
    /// assert_eq!(group.errors().collect::<Vec<_>>(), [&"e"]);
    /// ```
    pub fn errors(&self) -> impl Iterator<Item = &E> {
        self.failures.iter().filter_map(|f| f.error.as_failed())
    }

    /// Splits the group by a predicate, like Python's `except*`: the failures
    /// that match and those that don't, each a group of its own (or `None`
    /// when empty), order kept.
    ///
    /// ```
    /// use taskgroup::{ErrorGroup, TaskError};
    /// let group = ErrorGroup::from(404).merge(ErrorGroup::from(500));
    /// let (client, server) = group.split(|f| matches!(f.error(), TaskError::Failed(c) if *c < 500));
    /// assert_eq!(client.unwrap().len(), 1);
    /// assert_eq!(server.unwrap().first().error().as_failed(), Some(&500));
    /// ```
    pub fn split(
        self,
        mut pred: impl FnMut(&Failure<E>) -> bool,
    ) -> (Option<ErrorGroup<E>>, Option<ErrorGroup<E>>) {
        let (matched, rest) = self.failures.into_iter().partition(|f| pred(f));
        (
            ErrorGroup::from_failures(matched),
            ErrorGroup::from_failures(rest),
        )
    }

    /// Every failure renamed `parent/name`, as seen from an enclosing group.
    pub(crate) fn nested_under(self, parent: &TaskName) -> Vec<Failure<E>> {
        self.failures
            .into_iter()
            .map(|f| f.nested_under(parent))
            .collect()
    }

    pub(crate) fn into_failures(self) -> Vec<Failure<E>> {
        self.failures
    }
}

impl<E> From<E> for ErrorGroup<E> {
    /// A group of one failure, of the group's body (task name `body`).
    fn from(error: E) -> Self {
        ErrorGroup::from_task_error(BODY_NAME, TaskError::Failed(error))
    }
}

/// The name under which a group's own body appears in its errors.
pub(crate) const BODY_NAME: &str = "body";

/// The member name of a panic while dropping the outcome of a task handed
/// over to a group by a dropped owner (an `as_completed` stream, a gather).
pub(crate) const ORPHAN_NAME: &str = "orphan";

/// The member that stands for a group's or a gather's deadline
/// ([`TaskError::TimedOut`]).
pub(crate) const DEADLINE_NAME: &str = "deadline";

impl<E> IntoIterator for ErrorGroup<E> {
    type Item = Failure<E>;
    type IntoIter = std::vec::IntoIter<Failure<E>>;
    fn into_iter(self) -> Self::IntoIter {
        self.failures.into_iter()
    }
}

impl<'a, E> IntoIterator for &'a ErrorGroup<E> {
    type Item = &'a Failure<E>;
    type IntoIter = std::slice::Iter<'a, Failure<E>>;
    fn into_iter(self) -> Self::IntoIter {
        self.failures.iter()
    }
}

impl<E: fmt::Debug> fmt::Debug for ErrorGroup<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(&self.failures).finish()
    }
}

impl<E: fmt::Display> fmt::Display for ErrorGroup<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.failures.len();
        if self.is_cancelled() {
            f.write_str("the task group was cancelled:")?;
        } else {
            write!(f, "{n} task{} failed:", if n == 1 { "" } else { "s" })?;
        }
        for failure in &self.failures {
            write!(f, "\n  {failure}")?;
        }
        Ok(())
    }
}

impl<E: Error + 'static> Error for ErrorGroup<E> {
    /// The first failure, whose own `source()` is the task's error.
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(self.first())
    }
}

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
/// let kind = taskgroup::SpawnErrorKind::ShuttingDown;
/// assert_ne!(kind, taskgroup::SpawnErrorKind::Finished);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SpawnErrorKind {
    /// The group has ended: its body and every child are done.
    Finished,
    /// The group is cancelling its children after a failure, a timeout or
    /// `cancel()`, so it takes no new work (asyncio raises `RuntimeError` here).
    ShuttingDown,
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
            SpawnErrorKind::ShuttingDown => {
                "cannot spawn into a task group that is shutting down after a failure, timeout or cancel"
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
/// Generic over the group's error type only so that `?` can turn it into an
/// [`ErrorGroup<E>`] inside a body.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// taskgroup::scope(|tg| async move {
///     let handle = tg.spawn(std::future::pending::<Result<(), ()>>())?;
///     handle.abort();
///     let err = handle.await.unwrap_err();
///     assert_eq!(err.task(), "task-0");
///     Ok::<_, taskgroup::ErrorGroup<()>>(())
/// })
/// .await
/// .unwrap();
/// # }
/// ```
pub struct Cancelled<E> {
    task: TaskName,
    _group: PhantomData<fn() -> E>,
}

impl<E> Cancelled<E> {
    pub(crate) fn new(task: TaskName) -> Self {
        Cancelled {
            task,
            _group: PhantomData,
        }
    }

    /// The task that produced no value.
    ///
    /// See [`Cancelled`] for an example.
    pub fn task(&self) -> &TaskName {
        &self.task
    }
}

impl<E> fmt::Debug for Cancelled<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cancelled")
            .field("task", &self.task)
            .finish()
    }
}

impl<E> fmt::Display for Cancelled<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "task `{}` produced no value: it was cancelled, or it failed and its group reports the failure",
            self.task
        )
    }
}

impl<E> Error for Cancelled<E> {}

impl<E> From<Cancelled<E>> for ErrorGroup<E> {
    /// A body that propagates a cancelled handle with `?`; dropped from the
    /// group's error when real failures exist.
    fn from(c: Cancelled<E>) -> Self {
        ErrorGroup {
            failures: vec![Failure::new(c.task, TaskError::Cancelled)],
        }
    }
}
