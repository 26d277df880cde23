//! The failure types: what one task can fail with, and the group of all of them.

use std::error::Error;
use std::fmt::{self, Write as _};
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

pub use crate::name::TaskName;

/// How one task failed, or why it has no value.
///
/// Its `Display` is the reason alone (the task's name is the [`Failure`]'s
/// part): for `Failed(e)` the text of `e`, written with `{:#}` so that an
/// `anyhow` or `eyre` error shows its whole chain. It is where an
/// [`ErrorGroup`]'s `source()` chain ends: `E` need not be a
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
    /// [`ErrorGroup::is_cancelled`]).
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
    fn take_failed<F>(self) -> Result<TaskError<F>, E> {
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

/// The end of an [`ErrorGroup`]'s `source()` chain: see [`TaskError`].
impl<E: fmt::Debug + fmt::Display + 'static> Error for TaskError<E> {}

/// One member of an [`ErrorGroup`]: which task failed, and how.
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
    name: TaskName,
    error: TaskError<E>,
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

    fn nested_under(self, parent: &TaskName) -> Self {
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

/// Every failure of a task group, in the order they happened (asyncio's
/// `ExceptionGroup`).
///
/// Never empty. Failures of nested groups are flattened to their leaves, named
/// `outer/inner`. `From<E>` lets `?` turn a plain error into a group inside a
/// task-group body.
///
/// It is a `std::error::Error` whenever `E` is `Debug + Display`, so `?`
/// turns it into a `Box<dyn Error>` or an `anyhow::Error`. Its messages
/// follow the standard library's guideline, so a chain printer (anyhow's
/// `{:#}` and `{:?}`, eyre's report) shows each text once:
///
/// - `Display` says this level: the task that failed (``task `fetch` failed``),
///   or for several, how many and which (``2 tasks failed: `a`, `b` ``);
/// - `source()` gives the next: the first failure's reason (a
///   [`TaskError`], whose text is the task's own error), through the
///   [`Failure`] when there are several;
/// - `{:#}` writes the whole group: one line for one failure, else a tree
///   of one indented line per failure, nested groups indented further.
///
/// ```
/// use taskgroup::{ErrorGroup, TaskError};
///
/// let err = ErrorGroup::from_task_error("a", TaskError::Failed("disk full"))
///     .merge(ErrorGroup::from_task_error("b", TaskError::Panicked("index out of bounds".into())));
/// assert_eq!(err.to_string(), "2 tasks failed: `a`, `b`");
/// assert_eq!(
///     format!("{err:#}"),
///     "2 tasks failed:\n  task `a` failed: disk full\n  task `b` failed: panicked: index out of bounds"
/// );
/// let boxed: Box<dyn std::error::Error> = err.into();
/// let chain: Vec<String> = std::iter::successors(Some(&*boxed), |e| e.source())
///     .map(|e| e.to_string())
///     .collect();
/// assert_eq!(chain, ["2 tasks failed: `a`, `b`", "task `a` failed", "disk full"]);
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct ErrorGroup<E> {
    failures: Vec<Failure<E>>,
}

/// How many names a group's one-line `Display` lists before "and N more".
const NAMES_SHOWN: usize = 5;

impl<E> ErrorGroup<E> {
    pub(crate) fn from_failures(failures: Vec<Failure<E>>) -> Option<Self> {
        (!failures.is_empty()).then_some(ErrorGroup { failures })
    }

    /// A group of one failure of the task called `task`.
    ///
    /// ```
    /// use taskgroup::{ErrorGroup, TaskError};
    /// let group = ErrorGroup::from_task_error("loader", TaskError::Failed("disk full"));
    /// assert_eq!(group.to_string(), "task `loader` failed");
    /// assert_eq!(format!("{group:#}"), "task `loader` failed: disk full");
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

    /// The same group with every user error mapped by `f`, in order.
    ///
    /// ```
    /// use taskgroup::{ErrorGroup, TaskError};
    /// let group = ErrorGroup::from_task_error("fetch", TaskError::Failed(404))
    ///     .map_err(|code| format!("HTTP {code}"));
    /// assert_eq!(format!("{group:#}"), "task `fetch` failed: HTTP 404");
    /// ```
    pub fn map_err<F>(self, mut f: impl FnMut(E) -> F) -> ErrorGroup<F> {
        ErrorGroup {
            failures: self
                .failures
                .into_iter()
                .map(|failure| failure.map_err(&mut f))
                .collect(),
        }
    }

    /// Whether the group ended by a cancellation and nothing failed: every
    /// member is [`TaskError::Cancelled`]. A scope returns such a group when
    /// [`TaskGroup::cancel`](crate::TaskGroup::cancel) dropped its body
    /// before the body returned a value, or when the body propagated a
    /// cancellation with `?` (a refused spawn, an aborted child's handle)
    /// and no child failed. Its text says "cancelled", never "failed".
    ///
    /// ```
    /// use taskgroup::{ErrorGroup, TaskError};
    /// let cancelled = ErrorGroup::<String>::from_task_error("body", TaskError::Cancelled);
    /// assert!(cancelled.is_cancelled());
    /// assert_eq!(cancelled.to_string(), "task `body` was cancelled");
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

    /// The members a chain printer follows: the first that is not a
    /// cancellation.
    fn first_failed(&self) -> Option<&Failure<E>> {
        self.failures.iter().find(|f| !f.error.is_cancelled())
    }
}

impl<E> ErrorGroup<ErrorGroup<E>> {
    /// One group of every leaf failure, as a nested scope spawned with
    /// [`spawn_nested`](crate::TaskGroup::spawn_nested) reports them: the
    /// groups that tasks failed with (a `gather_all` over `#[task_group]`
    /// fns) are opened, their members named `task/member`.
    ///
    /// ```
    /// use taskgroup::{ErrorGroup, TaskError};
    /// let inner = ErrorGroup::from_task_error("leaf", TaskError::Failed("bad"));
    /// let nested = ErrorGroup::from_task_error("task-1", TaskError::Failed(inner))
    ///     .merge(ErrorGroup::from_task_error("task-2", TaskError::Panicked("boom".into())));
    /// let flat: ErrorGroup<&str> = nested.flatten();
    /// assert_eq!(
    ///     format!("{flat:#}"),
    ///     "2 tasks failed:\n  task `task-1/leaf` failed: bad\n  task `task-2` failed: panicked: boom"
    /// );
    /// ```
    pub fn flatten(self) -> ErrorGroup<E> {
        let mut failures = Vec::with_capacity(self.failures.len());
        for Failure { name, error } in self.failures {
            match error.take_failed() {
                Err(inner) => failures.extend(inner.nested_under(&name)),
                Ok(other) => failures.push(Failure::new(name, other)),
            }
        }
        ErrorGroup { failures }
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
    /// See [`ErrorGroup`]: this level alone, or with `{:#}` the whole tree.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let [only] = &self.failures[..] {
            return fmt::Display::fmt(only, f);
        }
        let (cancelled, failed): (Vec<_>, Vec<_>) =
            self.failures.iter().partition(|m| m.error.is_cancelled());
        if f.alternate() {
            write_count(f, &failed, &cancelled)?;
            f.write_str(":")?;
            for member in &self.failures {
                write!(Indented(f), "\n{member:#}")?;
            }
            return Ok(());
        }
        if !failed.is_empty() {
            write_count(f, &failed, &[])?;
            write_names(f, &failed)?;
        }
        if !cancelled.is_empty() {
            if !failed.is_empty() {
                f.write_str("; ")?;
            }
            write_count(f, &[], &cancelled)?;
            write_names(f, &cancelled)?;
        }
        Ok(())
    }
}

/// `2 tasks failed`, `1 task failed, 1 cancelled`, `2 tasks were cancelled`.
fn write_count<E>(
    f: &mut fmt::Formatter<'_>,
    failed: &[&Failure<E>],
    cancelled: &[&Failure<E>],
) -> fmt::Result {
    let tasks = |n: usize| if n == 1 { "task" } else { "tasks" };
    match (failed.len(), cancelled.len()) {
        (0, c) => write!(
            f,
            "{c} {} {} cancelled",
            tasks(c),
            if c == 1 { "was" } else { "were" }
        ),
        (n, 0) => write!(f, "{n} {} failed", tasks(n)),
        (n, c) => write!(f, "{n} {} failed, {c} cancelled", tasks(n)),
    }
}

/// `` : `a`, `b` `` and at most [`NAMES_SHOWN`] names, then `and N more`.
fn write_names<E>(f: &mut fmt::Formatter<'_>, members: &[&Failure<E>]) -> fmt::Result {
    for (i, member) in members.iter().take(NAMES_SHOWN).enumerate() {
        let sep = if i == 0 { ": " } else { ", " };
        write!(f, "{sep}`{}`", member.name)?;
    }
    if members.len() > NAMES_SHOWN {
        write!(f, " and {} more", members.len() - NAMES_SHOWN)?;
    }
    Ok(())
}

/// Writes through to a formatter, indenting every new line by two spaces:
/// a member's text in a group's tree, with its own lines (a nested group's
/// tree) one level deeper.
struct Indented<'a, 'b>(&'a mut fmt::Formatter<'b>);

impl fmt::Write for Indented<'_, '_> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        let mut lines = text.split('\n');
        if let Some(first) = lines.next() {
            self.0.write_str(first)?;
        }
        for line in lines {
            self.0.write_str("\n  ")?;
            self.0.write_str(line)?;
        }
        Ok(())
    }
}

impl<E: fmt::Debug + fmt::Display + 'static> Error for ErrorGroup<E> {
    /// The next level after this one's `Display`: for one member, why it
    /// failed (its [`TaskError`]); for several, the first failed member
    /// (whose own `source()` is its reason). `None` for a cancellation.
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match &self.failures[..] {
            [only] => only.source(),
            _ => self
                .first_failed()
                .map(|failure| failure as &(dyn Error + 'static)),
        }
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
