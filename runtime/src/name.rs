//! [`TaskName`]: the name a task is known by in errors and tracing.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
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
/// assert_eq!(err.first().name(), "fetch-user");
/// # }
/// ```
///
/// A name is its text: it compares, orders and hashes as its [`as_str`](Self::as_str)
/// does, so `task-3` equals an unnamed fourth task and a task named
/// `"task-3"`, and a `HashMap<TaskName, _>` or `BTreeMap<TaskName, _>` can be
/// looked up with a `&str`.
///
/// ```
/// use std::collections::HashMap;
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// let err = taskgroup::gather_all([async { Err::<(), _>("down") }]).await.unwrap_err();
/// let by_name: HashMap<_, _> = err.iter().map(|f| (f.name().clone(), f.error())).collect();
/// assert_eq!(by_name["task-0"].as_failed(), Some(&"down"));
/// # }
/// ```
#[derive(Clone)]
pub struct TaskName(NameRepr);

#[derive(Clone)]
enum NameRepr {
    /// `task-N`, written out without an allocation (most tasks are unnamed).
    Seq(SeqText),
    Named(Arc<str>),
}

/// The text `task-N` in place. 22 bytes keep [`TaskName`] as small as an
/// `Arc<str>` and its tag; a longer `N` (above 10^17) is allocated instead.
#[derive(Clone, Copy)]
struct SeqText {
    len: u8,
    text: [u8; SEQ_CAPACITY],
}

const SEQ_CAPACITY: usize = 22;
const SEQ_PREFIX: &[u8] = b"task-";

impl SeqText {
    fn new(seq: u64) -> Option<Self> {
        let digits = seq.checked_ilog10().map_or(1, |log| log as usize + 1);
        let len = SEQ_PREFIX.len() + digits;
        if len > SEQ_CAPACITY {
            return None;
        }
        let mut text = [0u8; SEQ_CAPACITY];
        text[..SEQ_PREFIX.len()].copy_from_slice(SEQ_PREFIX);
        let mut rest = seq;
        for digit in text[SEQ_PREFIX.len()..len].iter_mut().rev() {
            *digit = b'0' + (rest % 10) as u8;
            rest /= 10;
        }
        Some(SeqText {
            len: len as u8,
            text,
        })
    }

    fn as_str(&self) -> &str {
        // Only ASCII is ever written into `text`.
        std::str::from_utf8(&self.text[..usize::from(self.len)]).unwrap_or("task-?")
    }
}

impl TaskName {
    /// The name of the `seq`-th unnamed task of a group: `task-{seq}`.
    pub(crate) fn seq(seq: u64) -> Self {
        match SeqText::new(seq) {
            Some(text) => TaskName(NameRepr::Seq(text)),
            None => TaskName::named(format!("task-{seq}")),
        }
    }

    /// A name given by the user.
    pub(crate) fn named(name: impl Into<Arc<str>>) -> Self {
        TaskName(NameRepr::Named(name.into()))
    }

    /// `child` nested under `self`, as `parent/child`.
    pub(crate) fn nest(&self, child: &TaskName) -> Self {
        TaskName::named(format!("{self}/{child}"))
    }

    /// The name's text.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// taskgroup::scope(|tg| async move {
    ///     let handle = tg.spawn(async { Ok::<_, ()>(()) })?;
    ///     assert_eq!(handle.name().as_str(), "task-0");
    ///     Ok::<_, taskgroup::ErrorGroup<()>>(())
    /// })
    /// .await
    /// .unwrap();
    /// # }
    /// ```
    pub fn as_str(&self) -> &str {
        match &self.0 {
            NameRepr::Seq(text) => text.as_str(),
            NameRepr::Named(name) => name,
        }
    }
}

impl fmt::Display for TaskName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for TaskName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl AsRef<str> for TaskName {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for TaskName {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for TaskName {
    fn eq(&self, other: &TaskName) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for TaskName {}

impl PartialOrd for TaskName {
    fn partial_cmp(&self, other: &TaskName) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// By text, as `str` orders (`task-10` before `task-9`), so that
/// `Borrow<str>` lookups in ordered maps agree.
impl Ord for TaskName {
    fn cmp(&self, other: &TaskName) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

/// As its text, so that `Borrow<str>` lookups in hash maps agree.
impl Hash for TaskName {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl PartialEq<str> for TaskName {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for TaskName {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, HashMap};
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
    fn every_sequence_number_is_written_out() {
        for (seq, text) in [
            (0, "task-0"),
            (7, "task-7"),
            (10, "task-10"),
            (99_999_999_999_999_999, "task-99999999999999999"),
            (100_000_000_000_000_000, "task-100000000000000000"),
            (u64::MAX, "task-18446744073709551615"),
        ] {
            assert_eq!(TaskName::seq(seq).as_str(), text);
            assert_eq!(TaskName::seq(seq).to_string(), text);
            assert_eq!(format!("{:?}", TaskName::seq(seq)), format!("{text:?}"));
        }
    }

    #[test]
    fn an_unnamed_tasks_name_is_no_bigger_than_a_given_one() {
        assert_eq!(size_of::<TaskName>(), size_of::<(usize, Arc<str>)>());
    }

    #[test]
    fn names_hash_as_their_text() {
        let hasher = RandomState::new();
        assert_eq!(
            hasher.hash_one(TaskName::seq(7)),
            hasher.hash_one(TaskName::named("task-7"))
        );
        assert_eq!(hasher.hash_one(TaskName::seq(7)), hasher.hash_one("task-7"));
        assert_ne!(
            hasher.hash_one(TaskName::seq(7)),
            hasher.hash_one(TaskName::named("task-07"))
        );
    }

    #[test]
    fn maps_are_looked_up_by_str() {
        let names = [TaskName::seq(9), TaskName::seq(10), TaskName::named("db")];
        let hashed: HashMap<TaskName, usize> = names.iter().cloned().zip(0..).collect();
        assert_eq!(
            (hashed["task-9"], hashed["task-10"], hashed["db"]),
            (0, 1, 2)
        );
        let ordered: BTreeMap<TaskName, usize> = names.iter().cloned().zip(0..).collect();
        assert_eq!(ordered.get("task-10"), Some(&1));
        let keys: Vec<&str> = ordered.keys().map(TaskName::as_str).collect();
        assert_eq!(keys, ["db", "task-10", "task-9"], "ordered as str orders");
    }
}
