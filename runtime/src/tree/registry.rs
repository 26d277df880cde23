//! What groups and gathers register for the tree: one weak entry per live
//! node in a process-wide map, and what a node keeps about its children to
//! describe them when a snapshot is taken.

use std::collections::BTreeMap;
use std::panic::Location;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError, Weak};
use std::time::Duration;

use tokio::task::Id;
use tokio::time::Instant;

use super::{Child, ChildState, Group, GroupKind, GroupState, location};
use crate::error::TaskName;

/// Where in its parent a group was opened.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Parent {
    pub(crate) node: u64,
    pub(crate) slot: Slot,
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum Slot {
    /// The scope's body.
    Body,
    /// The child that is this tokio task.
    Task(Id),
}

/// Whose code runs in an orphan registry, for [`Parent`]: a scope's body,
/// or a gather's children.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Owner {
    Body(u64),
    Children(u64),
}

impl Owner {
    /// The parent of a group opened now, in code run by this owner.
    pub(crate) fn parent(self) -> Option<Parent> {
        match self {
            Owner::Body(node) => Some(Parent {
                node,
                slot: Slot::Body,
            }),
            Owner::Children(node) => Some(Parent {
                node,
                slot: Slot::Task(tokio::task::try_id()?),
            }),
        }
    }
}

/// A group or gather that can describe itself for a snapshot.
pub(crate) trait Node: Send + Sync {
    /// `None` once it has finished.
    fn describe(&self, now: Instant) -> Option<Group>;
}

struct Entry {
    parent: Option<Parent>,
    node: Weak<dyn Node>,
}

/// Every live node with its id and parent. Upgraded under the registry's
/// lock, to be described after it is released: describing takes each
/// group's own lock.
pub(super) fn live_nodes() -> Vec<(u64, Option<Parent>, Arc<dyn Node>)> {
    registry()
        .iter()
        .filter_map(|(&id, entry)| Some((id, entry.parent, entry.node.upgrade()?)))
        .collect()
}

fn registry() -> std::sync::MutexGuard<'static, BTreeMap<u64, Entry>> {
    static REGISTRY: Mutex<BTreeMap<u64, Entry>> = Mutex::new(BTreeMap::new());
    // Only inserts and removes happen under it: a poisoned map is whole.
    REGISTRY.lock().unwrap_or_else(PoisonError::into_inner)
}

/// What a group or gather keeps to describe itself, and its place in the
/// registry, given up when dropped.
pub(crate) struct Registration {
    id: u64,
    pub(crate) name: Option<&'static str>,
    pub(crate) opened_at: &'static Location<'static>,
    pub(crate) opened: Instant,
}

impl Registration {
    /// Registers node `id`, opened now at `opened_at`, under `parent` (the
    /// group whose child or body is running on this thread, if any: see
    /// `orphans::tree_parent`).
    pub(crate) fn new(
        id: u64,
        parent: Option<Parent>,
        name: Option<&'static str>,
        opened_at: &'static Location<'static>,
        node: Weak<dyn Node>,
    ) -> Self {
        registry().insert(id, Entry { parent, node });
        Registration {
            id,
            name,
            opened_at,
            opened: Instant::now(),
        }
    }

    /// The description's frame: a group of `kind` in `state`.
    pub(crate) fn group(
        &self,
        kind: GroupKind,
        state: GroupState,
        now: Instant,
        children: Vec<Child>,
    ) -> Group {
        Group {
            kind,
            name: self.name.map(str::to_owned),
            opened_at: location(self.opened_at),
            state,
            age: now.saturating_duration_since(self.opened),
            children,
            groups: Vec::new(),
            id: self.id,
        }
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        registry().remove(&self.id);
    }
}

/// What a group keeps per child for the tree, beside its `AbortHandle` and
/// its number (from which the name comes): 24 bytes, as the list of a
/// large group is a large part of what the tree costs.
pub(crate) struct ChildInfo {
    spawned_at: &'static Location<'static>,
    /// Nanoseconds from the group's opening to the spawn.
    spawned: u64,
    /// Set when a `limit(n)` child gets its slot; `None` without a limit.
    admitted: Option<Arc<AtomicBool>>,
}

impl ChildInfo {
    /// A child spawned now at `spawned_at` in the group registered as
    /// `group`, waiting for `admitted` if it has a `limit(n)` turn.
    pub(crate) fn new(
        group: &Registration,
        spawned_at: &'static Location<'static>,
        admitted: Option<Arc<AtomicBool>>,
    ) -> Self {
        ChildInfo {
            spawned_at,
            spawned: nanos_since(group.opened),
            admitted,
        }
    }

    /// The child as seen now: `state` unless it still waits for its slot.
    pub(crate) fn describe(
        &self,
        group: &Registration,
        name: &TaskName,
        task: Id,
        state: ChildState,
        now: Instant,
    ) -> Child {
        let queued = self
            .admitted
            .as_ref()
            .is_some_and(|admitted| !admitted.load(Ordering::Acquire));
        Child {
            name: name.to_string(),
            state: if queued && state == ChildState::Running {
                ChildState::Queued
            } else {
                state
            },
            age: now.saturating_duration_since(at_nanos(group.opened, self.spawned)),
            spawned_at: location(self.spawned_at),
            groups: Vec::new(),
            task: Some(task),
        }
    }
}

/// Now, as nanoseconds after `opened` (a node's opening): 8 bytes per
/// child or argument rather than an `Instant`'s 16.
fn nanos_since(opened: Instant) -> u64 {
    let since = Instant::now().saturating_duration_since(opened);
    u64::try_from(since.as_nanos()).unwrap_or(u64::MAX)
}

/// The instant `nanos` after `opened` (see [`nanos_since`]).
fn at_nanos(opened: Instant, nanos: u64) -> Instant {
    opened + Duration::from_nanos(nanos)
}

/// A child that has not started (a gather's argument waiting for its slot).
fn queued_child(name: TaskName, spawned_at: String, age: Duration) -> Child {
    Child {
        name: name.to_string(),
        state: ChildState::Queued,
        age,
        spawned_at,
        groups: Vec::new(),
        task: None,
    }
}

/// The node of a spawning gather or a race, whose children are started in
/// argument order: opened at the first poll (where it runs), described from
/// a slot per argument that the argument's start and end write (two atomic
/// stores, no lock, no handle kept).
pub(crate) struct ListNode {
    kind: GroupKind,
    arity: usize,
    name: Option<&'static str>,
    at: &'static Location<'static>,
    open: Option<Arc<ListState>>,
}

pub(crate) struct ListState {
    registration: Registration,
    kind: GroupKind,
    slots: Box<[ArgSlot]>,
    stopping: AtomicBool,
    /// The gather or race has returned (or was dropped): a snapshot taken
    /// elsewhere may still hold this state a moment, but shows it no more.
    finished: AtomicBool,
}

/// One argument's life: when it started (nanoseconds after the node opened,
/// plus one; 0 until then), whether it has ended, and its task.
#[derive(Default)]
struct ArgSlot {
    started: AtomicU64,
    ended: AtomicBool,
    task: OnceLock<Id>,
}

impl ListNode {
    #[track_caller]
    pub(crate) fn new(kind: GroupKind, arity: usize, name: Option<&'static str>) -> Self {
        ListNode {
            kind,
            arity,
            name,
            at: Location::caller(),
            open: None,
        }
    }

    /// Names the node (a `Builder`'s name).
    pub(crate) fn set_name(&mut self, name: Option<&'static str>) {
        self.name = name;
    }

    /// Registers node `id`, once, under `parent`; the node's state, which
    /// the arguments' ends write, is handed to `tell` (the registry they
    /// run in).
    pub(crate) fn open(
        &mut self,
        id: u64,
        parent: Option<Parent>,
        tell: impl FnOnce(Weak<ListState>),
    ) {
        if self.open.is_some() {
            return;
        }
        let (kind, arity, name, at) = (self.kind, self.arity, self.name.take(), self.at);
        let state = Arc::new_cyclic(|this: &Weak<ListState>| ListState {
            registration: Registration::new(id, parent, name, at, this.clone() as Weak<dyn Node>),
            kind,
            slots: (0..arity).map(|_| ArgSlot::default()).collect(),
            stopping: AtomicBool::new(false),
            finished: AtomicBool::new(false),
        });
        tell(Arc::downgrade(&state));
        self.open = Some(state);
    }

    /// Argument `index` started as task `task`.
    pub(crate) fn started(&self, index: usize, task: Id) {
        let Some(state) = &self.open else { return };
        if let Some(slot) = state.slots.get(index) {
            let nanos = nanos_since(state.registration.opened).min(u64::MAX - 1);
            slot.started.store(nanos + 1, Ordering::Relaxed);
            let _ = slot.task.set(task);
        }
    }

    /// Argument `index` has ended (a race's: seen joined).
    pub(crate) fn ended(&self, index: usize) {
        if let Some(state) = &self.open {
            state.ended(index);
        }
    }

    /// The outcome is known: what still runs is being stopped.
    pub(crate) fn stopping(&self) {
        if let Some(state) = &self.open {
            state.stopping.store(true, Ordering::Relaxed);
        }
    }
}

impl Drop for ListNode {
    fn drop(&mut self) {
        if let Some(state) = &self.open {
            state.finished.store(true, Ordering::Release);
        }
    }
}

impl ListState {
    /// Argument `index` has ended: told by the argument itself.
    pub(crate) fn ended(&self, index: usize) {
        if let Some(slot) = self.slots.get(index) {
            slot.ended.store(true, Ordering::Release);
        }
    }
}

impl Node for ListState {
    fn describe(&self, now: Instant) -> Option<Group> {
        if self.finished.load(Ordering::Acquire) {
            return None;
        }
        let stopping = self.stopping.load(Ordering::Relaxed);
        let at = location(self.registration.opened_at);
        let opened = self.registration.opened;
        let age = now.saturating_duration_since(opened);
        let children: Vec<Child> = self
            .slots
            .iter()
            .enumerate()
            .filter_map(|(index, slot)| {
                if slot.ended.load(Ordering::Acquire) {
                    return None;
                }
                let started = slot.started.load(Ordering::Relaxed);
                let name = TaskName::seq(index as u64);
                if started == 0 {
                    // Never starts once the outcome is known.
                    return (!stopping).then(|| queued_child(name, at.clone(), age));
                }
                let since = at_nanos(opened, started - 1);
                Some(Child {
                    name: name.to_string(),
                    state: if stopping {
                        ChildState::Cancelled
                    } else {
                        ChildState::Running
                    },
                    age: now.saturating_duration_since(since),
                    spawned_at: at.clone(),
                    groups: Vec::new(),
                    task: slot.task.get().copied(),
                })
            })
            .collect();
        let state = match (stopping, children.is_empty()) {
            (false, _) => GroupState::Running,
            (true, false) => GroupState::Cancelling {
                grace_period: false,
            },
            (true, true) => GroupState::Finishing,
        };
        Some(self.registration.group(self.kind, state, now, children))
    }
}
