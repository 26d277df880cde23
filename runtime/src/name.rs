//! [`TaskName`]: the name a task is known by in errors and tracing.

use std::fmt;
use std::sync::Arc;

/// The name of a task, carried into errors and tracing.
///
/// Unnamed tasks are called `task-N`, N being their spawn order in the group,
/// which for `gather_all` and `gather!` is the argument's position.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// let err = taskgroup::scope(|tg| async move {
///     tg.spawn_named("fetch-user", async { Err::<(), _>("404") })?;
///     Ok(())
/// })
/// .await
/// .unwrap_err();
/// assert_eq!(err.first().task(), "fetch-user");
/// # }
/// ```
///
/// Names compare and hash by their text: `task-3` equals an unnamed fourth
/// task and a task named `"task-3"`, never `"task-03"` or `"task-+3"`.
#[derive(Clone)]
pub struct TaskName(NameRepr);

#[derive(Clone)]
enum NameRepr {
    Seq(u64),
    Named(Arc<str>),
}

impl TaskName {
    /// The name of the `seq`-th unnamed task of a group: `task-{seq}`.
    pub(crate) fn seq(seq: u64) -> Self {
        TaskName(NameRepr::Seq(seq))
    }

    /// A name given by the user.
    pub(crate) fn named(name: impl Into<Arc<str>>) -> Self {
        TaskName(NameRepr::Named(name.into()))
    }

    /// `child` nested under `self`, as `parent/child`.
    pub(crate) fn nest(&self, child: &TaskName) -> Self {
        TaskName::named(format!("{self}/{child}"))
    }
}

impl fmt::Display for TaskName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            NameRepr::Seq(n) => write!(f, "task-{n}"),
            NameRepr::Named(name) => f.write_str(name),
        }
    }
}

impl fmt::Debug for TaskName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.to_string())
    }
}

/// The `N` of a name written exactly as `task-N` would display: digits only,
/// no sign, no leading zero.
fn seq_of(name: &str) -> Option<u64> {
    let digits = name.strip_prefix("task-")?;
    let canonical = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'));
    canonical.then(|| digits.parse().ok()).flatten()
}

impl TaskName {
    /// The unnamed task's number, also for a given name that reads `task-N`.
    fn as_seq(&self) -> Option<u64> {
        match &self.0 {
            NameRepr::Seq(n) => Some(*n),
            NameRepr::Named(name) => seq_of(name),
        }
    }
}

impl PartialEq for TaskName {
    fn eq(&self, other: &TaskName) -> bool {
        match (&self.0, &other.0) {
            (NameRepr::Named(a), NameRepr::Named(b)) => a == b,
            _ => self.as_seq().is_some() && self.as_seq() == other.as_seq(),
        }
    }
}

impl Eq for TaskName {}

impl std::hash::Hash for TaskName {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        if let Some(n) = self.as_seq() {
            (0u8, n).hash(state);
        } else if let NameRepr::Named(name) = &self.0 {
            (1u8, name).hash(state);
        }
    }
}

impl PartialEq<str> for TaskName {
    fn eq(&self, other: &str) -> bool {
        match &self.0 {
            NameRepr::Named(name) => &**name == other,
            NameRepr::Seq(n) => seq_of(other) == Some(*n),
        }
    }
}

impl PartialEq<&str> for TaskName {
    fn eq(&self, other: &&str) -> bool {
        self == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{BuildHasher, RandomState};

    #[test]
    fn names_compare_by_their_exact_text() {
        let seq = TaskName::seq(0);
        assert!(seq == "task-0");
        assert_eq!(seq, TaskName::named("task-0"));
        for other in ["task-00", "task-+0", "task-", "task-0 ", "task-1", "Task-0"] {
            assert!(seq != *other, "{other}");
            assert_ne!(seq, TaskName::named(other), "{other}");
        }
        assert!(TaskName::seq(10) == "task-10");
        assert!(TaskName::seq(10) != "task-010");
        assert_eq!(TaskName::named("db"), TaskName::named("db"));
    }

    #[test]
    fn equal_names_hash_alike() {
        let hasher = RandomState::new();
        assert_eq!(
            hasher.hash_one(TaskName::seq(7)),
            hasher.hash_one(TaskName::named("task-7"))
        );
        assert_ne!(
            hasher.hash_one(TaskName::seq(7)),
            hasher.hash_one(TaskName::named("task-07"))
        );
    }
}
