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
