//! `limit(n)` for children that are tokio tasks of their own (a group's, an
//! `as_completed` stream's): a fair semaphore, so waiting children start in
//! spawn order. The gathers count their running arguments instead (see
//! `gather::scheduler`): they poll every argument themselves, so a counter
//! does what a semaphore would, without its allocation per call.

use std::future::Future;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The slots of one `limit(n)`: at most `n` children hold one at once.
#[derive(Clone)]
pub(crate) struct Slots(Arc<Semaphore>);

impl Slots {
    /// The slots of `limit`; `None` when there is no limit.
    pub(crate) fn new(limit: Option<usize>) -> Option<Self> {
        limit.map(|n| Slots(Arc::new(Semaphore::new(n))))
    }

    /// A place in the queue, taken now, in spawn order, rather than when
    /// the scheduler first runs the child: the semaphore is fair to the
    /// order of first polls, and a later poll with the child's own waker
    /// takes over. Resolves to the slot, held until the child is done.
    pub(crate) fn take_turn(
        &self,
    ) -> impl Future<Output = Option<OwnedSemaphorePermit>> + Send + 'static {
        let mut turn = Box::pin(Arc::clone(&self.0).acquire_owned());
        let now = turn.as_mut().poll(&mut Context::from_waker(Waker::noop()));
        async move {
            match now {
                Poll::Ready(slot) => slot.ok(),
                Poll::Pending => turn.await.ok(),
            }
        }
    }
}
