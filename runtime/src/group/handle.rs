//! [`TaskHandle`]: a handle to one child of a group.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use tokio::task::JoinHandle;

use crate::error::{Cancelled, TaskName};

/// A handle to one child of a group.
///
/// Awaiting it gives the child's value, or [`Cancelled`] when the child was
/// aborted or failed (the failure itself goes to the group's [`ErrorGroup`](crate::ErrorGroup),
/// once). Dropping the handle does not cancel the child: the group owns it.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// taskgroup::scope(|tg| async move {
///     let handle = tg.spawn_named("answer", async { Ok::<_, ()>(42) })?;
///     assert_eq!(handle.name(), "answer");
///     assert_eq!(handle.await?, 42);
///     Ok(())
/// })
/// .await
/// .unwrap();
/// # }
/// ```
pub struct TaskHandle<T, E> {
    /// The child's task: `None` when it failed or never started.
    task: JoinHandle<Option<T>>,
    name: TaskName,
    _group: PhantomData<fn() -> E>,
}

impl<T, E> std::fmt::Debug for TaskHandle<T, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TaskHandle")
            .field("name", &self.name)
            .finish()
    }
}

impl<T, E> TaskHandle<T, E> {
    pub(super) fn new(task: JoinHandle<Option<T>>, name: TaskName) -> Self {
        TaskHandle {
            task,
            name,
            _group: PhantomData,
        }
    }

    /// Cancels this child alone. A cancellation, not a failure: the group and
    /// the child's siblings go on.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let value = taskgroup::scope(|tg| async move {
    ///     let stuck = tg.spawn(std::future::pending::<Result<(), ()>>())?;
    ///     stuck.abort();
    ///     assert!(stuck.await.is_err());
    ///     Ok("group still succeeds")
    /// })
    /// .await
    /// .unwrap();
    /// assert_eq!(value, "group still succeeds");
    /// # }
    /// ```
    pub fn abort(&self) {
        self.task.abort();
    }

    /// The child's name: the one given to `spawn_named`, or `task-N`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// taskgroup::scope(|tg| async move {
    ///     assert_eq!(tg.spawn(async { Ok::<_, ()>(()) })?.name(), "task-0");
    ///     Ok::<_, taskgroup::ErrorGroup<()>>(())
    /// })
    /// .await
    /// .unwrap();
    /// # }
    /// ```
    pub fn name(&self) -> &TaskName {
        &self.name
    }

    /// Whether the child has ended (with a value, a failure or cancelled).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// taskgroup::scope(|tg| async move {
    ///     let h = tg.spawn(std::future::pending::<Result<(), ()>>())?;
    ///     assert!(!h.is_finished());
    ///     h.abort();
    ///     Ok::<_, taskgroup::ErrorGroup<()>>(())
    /// })
    /// .await
    /// .unwrap();
    /// # }
    /// ```
    pub fn is_finished(&self) -> bool {
        self.task.is_finished()
    }
}

impl<T, E> Future for TaskHandle<T, E> {
    type Output = Result<T, Cancelled<E>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // A join error is a cancellation: the child's own panics are caught.
        match ready!(Pin::new(&mut self.task).poll(cx)) {
            Ok(Some(value)) => Poll::Ready(Ok(value)),
            Ok(None) | Err(_) => Poll::Ready(Err(Cancelled::new(self.name.clone()))),
        }
    }
}

/// The future [`TaskGroup::spawn_sibling`](crate::TaskGroup::spawn_sibling)
/// returns: the new sibling's [`TaskHandle`] at once; or, when the group
/// refused the sibling because it is closing, never, since the child that
/// asked is then being cancelled with the rest.
///
/// A type of its own rather than an `impl Future`, so that it does not
/// carry the spawned future's type: a mistake in that future is one error
/// at the call, not one more at each `.await`.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// taskgroup::scope(|tg| async move {
///     let group = tg.clone();
///     let parent = tg.spawn(async move {
///         let sibling: taskgroup::SpawnSibling<u32, ()> = group.spawn_sibling(async { Ok(7) });
///         let handle = sibling.await;
///         Ok(handle.await.unwrap_or(0))
///     })?;
///     assert_eq!(parent.await?, 7);
///     Ok::<_, taskgroup::ErrorGroup<()>>(())
/// })
/// .await
/// .unwrap();
/// # }
/// ```
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct SpawnSibling<T, E> {
    /// `None` once taken, or when the spawn was refused.
    handle: Option<TaskHandle<T, E>>,
}

impl<T, E> SpawnSibling<T, E> {
    pub(super) fn new(handle: Option<TaskHandle<T, E>>) -> Self {
        SpawnSibling { handle }
    }
}

impl<T, E> Future for SpawnSibling<T, E> {
    type Output = TaskHandle<T, E>;

    fn poll(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Self::Output> {
        // Refused: the calling child is aborted, which drops this future.
        self.handle.take().map_or(Poll::Pending, Poll::Ready)
    }
}

impl<T, E> std::fmt::Debug for SpawnSibling<T, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SpawnSibling")
            .field("refused", &self.handle.is_none())
            .finish()
    }
}
