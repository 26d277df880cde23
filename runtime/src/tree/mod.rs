//! The live task tree (feature `tree`): every running group, spawning
//! gather and race in the process, their children and what each is doing, taken as
//! one [`tree()`] snapshot (asyncio's `capture_call_graph`, Java's thread
//! dump of a `StructuredTaskScope`).
//!
//! Each group and gather registers a weak pointer in one process-wide map
//! when it opens, and removes it when its state is dropped; nothing is
//! recorded per poll. A child is described from what its group keeps
//! anyway (the `AbortHandle` it aborts it with), plus its name, spawn
//! location and start time. A group opened inside a child knows that child
//! by its tokio task id, read from the thread-local the orphan registry
//! already keeps (`orphans::tree_parent`, asked by whoever opens the
//! group, so the tree depends on nothing it describes); one opened in a scope's body
//! is placed under that body. [`registry`] holds what groups and gathers
//! register; this file builds the snapshot from it and prints it.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::panic::Location;
use std::time::Duration;

use tokio::task::Id;
use tokio::time::Instant;

mod registry;

pub(crate) use registry::{ChildInfo, ListNode, ListState, Node, Owner, Parent, Registration};
use registry::{Slot, live_nodes};

/// Takes a snapshot of every group and spawning gather running in the
/// process, as a tree: a group opened inside another group's child (a
/// nested `scope`, a `#[task_group]` fn it calls, a `gather_all`) sits under
/// that child; one opened in a scope's body sits under the scope.
///
/// The snapshot is taken group by group, each under its own lock, so a
/// group that opens or ends meanwhile may or may not be in it. Local
/// gathers and races (`gather!(local; ..)`, `race!(local; ..)`) and
/// `as_completed` streams are not nodes: what runs in them appears under
/// the task that polls them.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// let (ready_tx, ready_rx) = tokio::sync::oneshot::channel();
/// let (done_tx, done_rx) = tokio::sync::oneshot::channel::<()>();
/// let group = taskgroup::Builder::new().name("service").scope(|tg| async move {
///     tg.spawn_named("listener", async move {
///         done_rx.await.ok();
///         Ok::<_, std::io::Error>(())
///     })?;
///     ready_tx.send(()).ok();
///     Ok(())
/// });
/// let dump = async {
///     ready_rx.await.unwrap();
///     let tree = taskgroup::tree();
///     let service = tree.find("service").unwrap();
///     assert_eq!(service.children[0].name, "listener");
///     println!("{tree}"); // an indented tree; `tree.to_json()` for tools
///     done_tx.send(()).unwrap();
/// };
/// let (ended, ()) = tokio::join!(group, dump);
/// ended.unwrap();
/// assert!(taskgroup::tree().find("service").is_none()); // gone once it ends
/// # }
/// ```
pub fn tree() -> TaskTree {
    let now = Instant::now();
    let mut described: BTreeMap<u64, (Option<Parent>, Group)> = BTreeMap::new();
    for (id, parent, node) in live_nodes() {
        if let Some(group) = node.describe(now) {
            described.insert(id, (parent, group));
        }
    }
    // Newest first: a group's parent opened before it, so by the time a
    // group is placed, everything nested in it has been placed in it.
    let mut roots = Vec::new();
    while let Some((_, (parent, group))) = described.pop_last() {
        let home = parent.and_then(|parent| {
            let (_, owner) = described.get_mut(&parent.node)?;
            Some(owner.place(parent.slot))
        });
        match home {
            Some(list) => list.push(group),
            None => roots.push(group),
        }
    }
    let mut tree = TaskTree { groups: roots };
    tree.groups.iter_mut().for_each(Group::restore_order);
    tree.groups.reverse();
    tree
}

/// A snapshot of the live groups, from [`tree()`]: the groups that run in
/// no other group's child or body, each with what runs in it.
///
/// Prints as an indented tree (`{}`), and as JSON with
/// [`to_json`](Self::to_json).
///
/// ```
/// let tree = taskgroup::tree();
/// assert!(tree.find("no group has this name").is_none());
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct TaskTree {
    /// The outermost groups, oldest first.
    pub groups: Vec<Group>,
}

/// A group or a spawning gather in a [`TaskTree`].
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// taskgroup::Builder::new().name("importer").scope(|_tg| async {
///     let tree = taskgroup::tree();
///     let importer = tree.find("importer").unwrap();
///     assert_eq!(importer.kind, taskgroup::GroupKind::Scope);
///     assert_eq!(importer.state, taskgroup::GroupState::Running);
///     assert!(importer.opened_at.contains(".rs:"), "{}", importer.opened_at);
///     Ok::<_, taskgroup::ErrorGroup<()>>(())
/// })
/// .await
/// .unwrap();
/// # }
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Group {
    /// A scope, or a spawning gather.
    pub kind: GroupKind,
    /// The name given with [`Builder::name`](crate::Builder::name), the
    /// path of a `#[task_group]` fn, or `None`.
    pub name: Option<String>,
    /// Where it was opened: `file:line:column` of the `scope`, `gather_all`
    /// or `gather!` call, or of the `#[task_group]` attribute.
    pub opened_at: String,
    /// Running, cancelling, or finishing.
    pub state: GroupState,
    /// Time since it was opened.
    pub age: Duration,
    /// Its children, in spawn order (a gather's: in argument order).
    pub children: Vec<Child>,
    /// Groups opened by the scope's body itself, not by a child.
    pub groups: Vec<Group>,
    id: u64,
}

/// What kind of node a [`Group`] is.
///
/// ```
/// assert_ne!(taskgroup::GroupKind::Scope, taskgroup::GroupKind::Gather);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum GroupKind {
    /// A [`scope`](crate::scope), [`Builder::scope`](crate::Builder::scope)
    /// or `#[task_group]` fn.
    Scope,
    /// A spawning `gather!`, [`gather_all`](crate::gather_all) or
    /// [`gather_settled`](crate::gather_settled).
    Gather,
    /// A spawning `race!` or [`race_all`](crate::race_all).
    Race,
}

/// Where a [`Group`] is in its life.
///
/// ```
/// let state = taskgroup::GroupState::Cancelling { grace_period: true };
/// assert_eq!(state.to_string(), "cancelling (grace period)");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum GroupState {
    /// Taking children; the body (a scope's) still runs.
    Running,
    /// Ended early (a failure, its deadline, `cancel()`): children are
    /// being cancelled. `grace_period`: they have been asked, through the
    /// token, and are not aborted until the grace period ends.
    Cancelling {
        /// Whether the children are still within the grace period.
        grace_period: bool,
    },
    /// The body returned; waiting for the children.
    Finishing,
}

/// A child in a [`Group`].
///
/// ```
/// let state = taskgroup::ChildState::Queued;
/// assert_eq!(state.to_string(), "queued");
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Child {
    /// Its name: given, or `task-N`.
    pub name: String,
    /// Queued, running, or being cancelled.
    pub state: ChildState,
    /// Time since it was spawned (for a queued gather argument: since the
    /// gather opened).
    pub age: Duration,
    /// Where it was spawned: `file:line:column`.
    pub spawned_at: String,
    /// Groups opened inside it.
    pub groups: Vec<Group>,
    task: Option<Id>,
}

/// What a [`Child`] is doing.
///
/// ```
/// assert_eq!(taskgroup::ChildState::Cancelled.to_string(), "cancelled, not yet dropped");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChildState {
    /// Waiting for a `limit(n)` slot.
    Queued,
    /// Started, and not asked to stop.
    Running,
    /// Its group is cancelling within a grace period: it has been asked to
    /// stop (the token) and not aborted yet.
    Cancelling,
    /// Aborted, not yet dropped: the runtime drops it when it next runs it.
    Cancelled,
}

impl TaskTree {
    /// The first group named `name`, searched depth first through the
    /// whole tree.
    ///
    /// ```
    /// assert!(taskgroup::tree().find("anything").is_none());
    /// ```
    pub fn find(&self, name: &str) -> Option<&Group> {
        self.groups.iter().find_map(|group| group.find(name))
    }

    /// The snapshot as JSON: an object with a `groups` array; each group has
    /// `kind`, `name` (or `null`), `opened_at`, `state`, `age_ms`,
    /// `children` and `groups`; each child `name`, `state`, `age_ms`,
    /// `spawned_at` and `groups`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// taskgroup::Builder::new().name("a \"quoted\" name").scope(|_tg| async {
    ///     let json = taskgroup::tree().to_json();
    ///     assert!(json.contains(r#""name":"a \"quoted\" name""#), "{json}");
    ///     Ok::<_, taskgroup::ErrorGroup<()>>(())
    /// })
    /// .await
    /// .unwrap();
    /// # }
    /// ```
    pub fn to_json(&self) -> String {
        let mut out = String::from("{\"groups\":");
        json_list(&mut out, &self.groups, Group::write_json);
        out.push('}');
        out
    }
}

impl Group {
    /// This group if it is named `name`, or the first so named inside it.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// taskgroup::Builder::new().name("outer").scope(|_tg| async {
    ///     taskgroup::Builder::new().name("inner").scope(|_tg| async {
    ///         let tree = taskgroup::tree();
    ///         let outer = tree.find("outer").unwrap();
    ///         assert_eq!(outer.groups[0].name.as_deref(), Some("inner"));
    ///         assert!(outer.find("inner").is_some());
    ///         Ok::<_, taskgroup::ErrorGroup<()>>(())
    ///     })
    ///     .await
    /// })
    /// .await
    /// .unwrap();
    /// # }
    /// ```
    pub fn find(&self, name: &str) -> Option<&Group> {
        if self.name.as_deref() == Some(name) {
            return Some(self);
        }
        self.groups
            .iter()
            .chain(self.children.iter().flat_map(|child| &child.groups))
            .find_map(|group| group.find(name))
    }

    /// The list a group opened in `slot` of this one goes in.
    fn place(&mut self, slot: Slot) -> &mut Vec<Group> {
        let child = match slot {
            Slot::Body => None,
            Slot::Task(task) => self.children.iter().position(|c| c.task == Some(task)),
        };
        match child {
            Some(index) => &mut self.children[index].groups,
            // Opened in the body, or in a child already swept from the list.
            None => &mut self.groups,
        }
    }

    /// Nested groups were placed newest first: put them oldest first.
    fn restore_order(&mut self) {
        for list in std::iter::once(&mut self.groups)
            .chain(self.children.iter_mut().map(|child| &mut child.groups))
        {
            list.sort_by_key(|group| group.id);
            list.iter_mut().for_each(Group::restore_order);
        }
    }

    fn write_json(&self, out: &mut String) {
        out.push_str("{\"kind\":");
        json_str(out, self.kind.as_str());
        out.push_str(",\"name\":");
        match &self.name {
            Some(name) => json_str(out, name),
            None => out.push_str("null"),
        }
        out.push_str(",\"opened_at\":");
        json_str(out, &self.opened_at);
        out.push_str(",\"state\":");
        json_str(out, &self.state.to_string());
        let _ = write!(out, ",\"age_ms\":{}", self.age.as_millis());
        out.push_str(",\"children\":");
        json_list(out, &self.children, Child::write_json);
        out.push_str(",\"groups\":");
        json_list(out, &self.groups, Group::write_json);
        out.push('}');
    }

    fn write_tree(&self, f: &mut fmt::Formatter<'_>, indent: &mut String) -> fmt::Result {
        let name = match &self.name {
            Some(name) => format!("`{name}`"),
            None => "(unnamed)".to_owned(),
        };
        writeln!(
            f,
            "{} {name} at {}: {}, {}",
            self.kind.as_str(),
            self.opened_at,
            self.state,
            Age(self.age)
        )?;
        let items = self.groups.iter().map(Item::Group);
        write_items(
            f,
            indent,
            items.chain(self.children.iter().map(Item::Child)),
        )
    }
}

enum Item<'a> {
    Group(&'a Group),
    Child(&'a Child),
}

/// The lines under a group or child, each behind its branch (`├─`, and
/// `└─` for the last), what is under each indented below it.
fn write_items<'a>(
    f: &mut fmt::Formatter<'_>,
    indent: &mut String,
    items: impl Iterator<Item = Item<'a>>,
) -> fmt::Result {
    let mut items = items.peekable();
    while let Some(item) = items.next() {
        let last = items.peek().is_none();
        write!(f, "{indent}{}", if last { "└─ " } else { "├─ " })?;
        let depth = indent.len();
        indent.push_str(if last { "   " } else { "│  " });
        match item {
            Item::Group(group) => group.write_tree(f, indent)?,
            Item::Child(child) => child.write_tree(f, indent)?,
        }
        indent.truncate(depth);
    }
    Ok(())
}

impl Child {
    fn write_json(&self, out: &mut String) {
        out.push_str("{\"name\":");
        json_str(out, &self.name);
        out.push_str(",\"state\":");
        json_str(out, &self.state.to_string());
        let _ = write!(out, ",\"age_ms\":{}", self.age.as_millis());
        out.push_str(",\"spawned_at\":");
        json_str(out, &self.spawned_at);
        out.push_str(",\"groups\":");
        json_list(out, &self.groups, Group::write_json);
        out.push('}');
    }

    fn write_tree(&self, f: &mut fmt::Formatter<'_>, indent: &mut String) -> fmt::Result {
        writeln!(
            f,
            "task `{}` at {}: {}, {}",
            self.name,
            self.spawned_at,
            self.state,
            Age(self.age)
        )?;
        write_items(f, indent, self.groups.iter().map(Item::Group))
    }
}

/// An indented tree, one line per group and child:
///
/// ```text
/// group `service` at src/main.rs:12:5: running, 3.20s
/// ├─ task `accept` at src/main.rs:14:12: running, 3.20s
/// └─ task `conn 10.0.0.7` at src/main.rs:20:16: running, 1.05s
///    └─ gather (unnamed) at src/conn.rs:8:9: running, 1.05s
///       ├─ task `task-0` at src/conn.rs:8:9: running, 1.05s
///       └─ task `task-1` at src/conn.rs:8:9: queued, 1.05s
/// ```
impl fmt::Display for TaskTree {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.groups.is_empty() {
            return writeln!(f, "no task group is running");
        }
        let mut indent = String::new();
        for group in &self.groups {
            group.write_tree(f, &mut indent)?;
        }
        Ok(())
    }
}

impl GroupKind {
    fn as_str(self) -> &'static str {
        match self {
            GroupKind::Scope => "group",
            GroupKind::Gather => "gather",
            GroupKind::Race => "race",
        }
    }
}

impl fmt::Display for GroupState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            GroupState::Running => "running",
            GroupState::Cancelling { grace_period: true } => "cancelling (grace period)",
            GroupState::Cancelling {
                grace_period: false,
            } => "cancelling",
            GroupState::Finishing => "finishing",
        })
    }
}

impl fmt::Display for ChildState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ChildState::Queued => "queued",
            ChildState::Running => "running",
            ChildState::Cancelling => "cancelling",
            ChildState::Cancelled => "cancelled, not yet dropped",
        })
    }
}

/// An age, to the hundredth of a second.
struct Age(Duration);

impl fmt::Display for Age {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.2}s", self.0.as_secs_f64())
    }
}

fn json_list<T>(out: &mut String, items: &[T], write: fn(&T, &mut String)) {
    out.push('[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write(item, out);
    }
    out.push(']');
}

/// `text` as a JSON string (RFC 8259: quote, backslash and control
/// characters escaped).
fn json_str(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn location(at: &Location<'_>) -> String {
    format!("{}:{}:{}", at.file(), at.line(), at.column())
}
