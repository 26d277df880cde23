//! [`ErrorGroup`]: every failure of a group, and how it prints as a chain
//! and as a tree.

use std::error::Error;
use std::fmt;
use std::fmt::Write as _;
use std::sync::Arc;

use super::{BODY_NAME, Failure, TaskError, TaskName};

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
    pub(super) failures: Vec<Failure<E>>,
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
        self.failures.iter().filter_map(|f| f.error().as_failed())
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
        self.failures.iter().find(|f| !f.error().is_cancelled())
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
            self.failures.iter().partition(|m| m.error().is_cancelled());
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
        write!(f, "{sep}`{}`", member.name())?;
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
