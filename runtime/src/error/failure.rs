//! How one task failed ([`TaskError`]), and which task ([`Failure`]).

use std::error::Error;
use std::fmt;
use std::time::Duration;

use super::TaskName;

/// How one task failed, or why it has no value.
///
/// Its `Display` is the reason alone (the task's name is the [`Failure`]'s
/// part): for `Failed(e)` the text of `e`, written with `{:#}` so that an
/// `anyhow` or `eyre` error shows its whole chain. It is where an
/// [`ErrorGroup`](super::ErrorGroup)'s `source()` chain ends: `E` need not be a
/// `std::error::Error` (`anyhow::Error` and `Box<dyn Error>` are not), so it
/// cannot be a `source()` itself. (Without specialization Rust cannot offer
/// `E` as a source only when it is an `Error`.) So the causes an `Error`
/// keeps behind its own `source()` are not in the chain: reach them through
/// [`as_failed`](Self::as_failed).
///
/// ```
/// use taskgroup::TaskError;
///
/// let err: TaskError<std::io::Error> = TaskError::Panicked("index out of bounds".into());
/// assert_eq!(err.to_string(), "panicked: index out of bounds");
/// assert_eq!(TaskError::Failed("disk full").to_string(), "disk full");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TaskError<E> {
    /// The task returned `Err(E)`.
    Failed(E),
    /// The task panicked; the panic's message (or a note for a non-string
    /// payload). Kept as text, so a `TaskError` is `Clone` when `E` is.
    Panicked(String),
    /// The group's deadline passed while the task was still running.
    TimedOut(Duration),
    /// The task was cancelled before it finished. Cancellation is never a
    /// failure: a cancelled child cancels nothing else and is left out of
    /// its group's error. This appears in settled results, and in the error
    /// of a scope whose body propagated a cancellation with `?` (see
    /// [`ErrorGroup::is_cancelled`](super::ErrorGroup::is_cancelled)).
    /// Awaiting a cancelled task's handle gives a
    /// [`Cancelled`](super::Cancelled) instead, which names the task.
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

    /// The same outcome with the user's error mapped by `f`.
    ///
    /// ```
    /// let err = taskgroup::TaskError::Failed(404).map_err(|code| format!("HTTP {code}"));
    /// assert_eq!(err.as_failed().map(String::as_str), Some("HTTP 404"));
    /// ```
    pub fn map_err<F>(self, f: impl FnOnce(E) -> F) -> TaskError<F> {
        match self.take_failed() {
            Ok(other) => other,
            Err(e) => TaskError::Failed(f(e)),
        }
    }

    /// The user's error as `Err`, any other outcome as `Ok` (it holds no `E`).
    pub(super) fn take_failed<F>(self) -> Result<TaskError<F>, E> {
        match self {
            TaskError::Failed(e) => Err(e),
            TaskError::Panicked(message) => Ok(TaskError::Panicked(message)),
            TaskError::TimedOut(after) => Ok(TaskError::TimedOut(after)),
            TaskError::Cancelled => Ok(TaskError::Cancelled),
        }
    }
}

impl<E: fmt::Display> fmt::Display for TaskError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TaskError::Failed(e) => write!(f, "{e:#}"),
            TaskError::Panicked(msg) => write!(f, "panicked: {msg}"),
            TaskError::TimedOut(after) => write!(f, "timed out after {after:?}"),
            TaskError::Cancelled => f.write_str("cancelled"),
        }
    }
}

/// The end of an [`ErrorGroup`](super::ErrorGroup)'s `source()` chain: see [`TaskError`].
impl<E: fmt::Debug + fmt::Display + 'static> Error for TaskError<E> {}

/// One member of an [`ErrorGroup`](super::ErrorGroup): which task failed, and how.
///
/// Its `Display` says which task and whether it failed or was cancelled;
/// `source()` is the [`TaskError`] that says why. `{:#}` writes both.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// let group = taskgroup::gather_all([async { Err::<(), _>("boom") }]).await.unwrap_err();
/// let failure = group.first();
/// assert_eq!(failure.name(), "task-0");
/// assert_eq!(failure.error().as_failed(), Some(&"boom"));
/// assert_eq!(failure.to_string(), "task `task-0` failed");
/// assert_eq!(format!("{failure:#}"), "task `task-0` failed: boom");
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure<E> {
    pub(super) name: TaskName,
    pub(super) error: TaskError<E>,
}

impl<E> Failure<E> {
    pub(crate) fn new(name: TaskName, error: TaskError<E>) -> Self {
        Failure { name, error }
    }

    /// The name of the task that failed.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let group = taskgroup::gather_all([async { Err::<(), _>(1) }]).await.unwrap_err();
    /// assert_eq!(group.first().name().as_str(), "task-0");
    /// # }
    /// ```
    pub fn name(&self) -> &TaskName {
        &self.name
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
        (self.name, self.error)
    }

    /// The same failure with the user's error mapped by `f`.
    ///
    /// ```
    /// use taskgroup::{ErrorGroup, TaskError};
    /// let group = ErrorGroup::from_task_error("fetch", TaskError::Failed(404));
    /// let failure = group.first().clone().map_err(|code| format!("HTTP {code}"));
    /// assert_eq!(format!("{failure:#}"), "task `fetch` failed: HTTP 404");
    /// ```
    pub fn map_err<F>(self, f: impl FnOnce(E) -> F) -> Failure<F> {
        Failure {
            name: self.name,
            error: self.error.map_err(f),
        }
    }

    pub(super) fn nested_under(self, parent: &TaskName) -> Self {
        Failure {
            name: parent.nest(&self.name),
            error: self.error,
        }
    }

    /// This level of the message: the task, and whether it failed.
    fn write_headline(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.error.is_cancelled() {
            write!(f, "task `{}` was cancelled", self.name)
        } else {
            write!(f, "task `{}` failed", self.name)
        }
    }

    /// The next level: why it failed (nothing more to say for a cancellation).
    fn reason(&self) -> Option<&TaskError<E>> {
        (!self.error.is_cancelled()).then_some(&self.error)
    }
}

impl<E: fmt::Display> fmt::Display for Failure<E> {
    /// ``task `name` failed``; with `{:#}`, followed by `: ` and the reason.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_headline(f)?;
        match self.reason() {
            Some(reason) if f.alternate() => write!(f, ": {reason}"),
            _ => Ok(()),
        }
    }
}

impl<E: fmt::Debug + fmt::Display + 'static> Error for Failure<E> {
    /// The [`TaskError`], unless the task was cancelled.
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.reason().map(|reason| reason as &(dyn Error + 'static))
    }
}
