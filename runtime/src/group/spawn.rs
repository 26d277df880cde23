//! How a child is started: the one path every spawn fn takes, and what a
//! refused sibling spawn does to the child that asked.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use super::child::{Child, Limited, Unlimited};
use super::{ChildTag, Listed, Phase, SpawnSibling, TaskGroup, TaskHandle, lock};
use crate::error::{Failure, SpawnError, SpawnErrorKind, TaskName};
use crate::limit::Slots;

impl<E: Send + 'static> TaskGroup<E> {
    /// The handle of a spawn, or on a refusal, the end of the calling child.
    pub(super) fn sibling<T>(
        &self,
        spawned: Result<TaskHandle<T, E>, SpawnError<E>>,
    ) -> SpawnSibling<T, E> {
        if spawned.is_err() {
            // The group is cancelling what runs in it, the caller too.
            self.abort_calling_child();
        }
        SpawnSibling::new(spawned.ok())
    }

    /// Aborts the tokio task this is called from if it is a child of this
    /// group: a closing group's children are otherwise aborted only after
    /// its grace period.
    pub(super) fn abort_calling_child(&self) {
        let Some(id) = tokio::task::try_id() else {
            return;
        };
        let st = lock(&self.shared.state);
        if let Some(listed) = st.tasks.iter().find(|listed| listed.task.id() == id) {
            listed.task.abort();
        }
    }

    /// Spawns a child as a tokio task of its own.
    ///
    /// The child future is kept small, as it sets the tokio task's size and
    /// so the memory per pending child: without a limit there is no
    /// admission step, and `on_err` is a closure, not a stored function
    /// pointer.
    #[cfg_attr(feature = "tree", track_caller)]
    pub(super) fn start<T, Err, F, OnErr>(
        &self,
        name: Option<TaskName>,
        future: F,
        on_err: OnErr,
    ) -> Result<TaskHandle<T, E>, SpawnError<E>>
    where
        F: Future<Output = Result<T, Err>> + Send + 'static,
        T: Send + 'static,
        Err: Send + 'static,
        OnErr: Fn(TaskName, Err) -> Vec<Failure<E>> + Send + 'static,
    {
        let shared = &self.shared;
        let mut st = lock(&shared.state);
        match st.phase {
            Phase::Running => {}
            Phase::Closing => return Err(SpawnError::new(SpawnErrorKind::Closing)),
            Phase::Finished => return Err(SpawnError::new(SpawnErrorKind::Finished)),
        }
        let seq = st.next_seq;
        st.next_seq += 1;
        let tag = ChildTag::new(seq, name.is_some());
        if let Some(name) = &name {
            st.names.insert(seq, name.clone());
        }
        if st.tasks.len() >= st.sweep_at {
            st.sweep(shared.live.load(Ordering::Relaxed));
        }
        // Counted in under the lock, so the scope cannot finish before the
        // child is listed below.
        shared.live.fetch_add(1, Ordering::Relaxed);
        // The `limit(n)` queue place, taken in the order of the names.
        let turn = shared.slots.as_ref().map(Slots::take_turn);
        drop(st);
        // Written out (`task-N`) without the lock held.
        let name = name.unwrap_or_else(|| TaskName::seq(seq));
        #[cfg(feature = "tree")]
        let admitted = turn
            .is_some()
            .then(|| Arc::new(std::sync::atomic::AtomicBool::new(false)));
        #[cfg(feature = "tree")]
        let info = crate::tree::ChildInfo::new(
            &shared.tree,
            std::panic::Location::caller(),
            admitted.clone(),
        );
        // Spawned without the lock: on a runtime that is shutting down, tokio
        // drops the child at once, and a panic in that drop is recorded in
        // the group, which takes the lock.
        let group = Arc::clone(shared);
        let task = match turn {
            None => shared.spawn(Child::new(Unlimited, future, on_err, tag, group), &name),
            Some(turn) => {
                let limited = Limited::new(turn);
                #[cfg(feature = "tree")]
                let limited = limited.telling(admitted);
                shared.spawn(Child::new(limited, future, on_err, tag, group), &name)
            }
        };
        let listed = Listed {
            task: task.abort_handle(),
            #[cfg(feature = "tree")]
            tag,
            #[cfg(feature = "tree")]
            info,
        };
        let mut st = lock(&shared.state);
        if st.aborted {
            // The group was cancelled in between: as if it had been listed.
            listed.task.abort();
        }
        // Listed anyway with the tree, which shows it until it is dropped.
        if !st.aborted || cfg!(feature = "tree") {
            st.tasks.push(listed);
        }
        drop(st);
        Ok(TaskHandle::new(task, name))
    }
}
