//! The driver of a list of spawned arguments of one type (`gather_all`,
//! `gather_settled`): passes that admit children as `limit` allows and
//! collect the ones that ended, without visiting every handle every pass.

use std::task::{Context, Poll, ready};

use super::spawned::{Mode, Spawned, SpawnedArg, Spawner, joined, poll_unbudgeted, start};
use crate::error::{ErrorGroup, Failure, TaskError, TaskName};

impl<E: Send + 'static> Spawner<E> {
    /// One pass over a list of arguments of one type (`gather_all`,
    /// `gather_settled`): collects the outcomes of ended children, starts
    /// the next ones as `limit` allows, and ends as [`end`](Self::end) does.
    ///
    /// The children's [`Signal`] says how many ended; their handles are
    /// swept only when that is worth it (a failure, or at least half of
    /// the running ones ended), so a pass costs O(1) per ended child
    /// amortised. A sweep visits every running argument, outside tokio's
    /// cooperative budget: a sweep cut short would leave handles that
    /// completed meanwhile unvisited, their wake-up merged with the one
    /// that resumes the sweep.
    pub(crate) fn poll_list<Fut, T>(
        &mut self,
        args: &mut [SpawnedArg<Fut, T, E>],
        progress: &mut ListProgress,
        cx: &mut Context<'_>,
    ) -> Poll<Result<(), ErrorGroup<E>>>
    where
        Fut: Future<Output = Result<T, TaskError<E>>> + Send + 'static,
        T: Send + 'static,
    {
        #[cfg(feature = "tree")]
        self.open_tree();
        self.scheduler.begin();
        let signal = self.orphans.signal();
        let ended = signal.ended_of(args.len(), cx);
        let uncollected = ended.saturating_sub(progress.collected);
        let live = progress.live.len();
        if live > 0 && (signal.any_failed() || uncollected * 2 >= live) {
            let mut i = 0;
            while let Some(&index) = progress.live.get(i) {
                let arg = &mut args[index];
                let Spawned::Running(handle) = &mut arg.state else {
                    unreachable!("a live argument is running")
                };
                let Poll::Ready(result) = poll_unbudgeted(handle, cx) else {
                    i += 1;
                    continue;
                };
                arg.state = Spawned::Done(joined(result));
                progress.live.swap_remove(i);
                progress.collected += 1;
                self.settle_listed(arg, index)?;
            }
        }
        let running = progress.next - ended.min(progress.next);
        let room = self.scheduler.limit().saturating_sub(running);
        for index in progress.next..args.len().min(progress.next.saturating_add(room)) {
            start(
                &mut args[index],
                &self.orphans,
                self.id,
                self.slow_poll,
                index as u64,
                #[cfg(feature = "tree")]
                &self.tree,
            );
            progress.live.push(index);
        }
        progress.next = args.len().min(progress.next.saturating_add(room));
        if !progress.live.is_empty() || progress.next < args.len() {
            self.scheduler.still_running();
        }
        self.end(cx)
    }

    /// What the mode does with a listed argument that just ended: fail-fast
    /// returns its failure, supervised keeps it for [`finish`](Self::finish),
    /// settled leaves it as the argument's outcome.
    fn settle_listed<Fut, T>(
        &mut self,
        arg: &mut SpawnedArg<Fut, T, E>,
        index: usize,
    ) -> Result<(), ErrorGroup<E>>
    where
        T: Send + 'static,
    {
        let name = || TaskName::seq(index as u64);
        match self.mode {
            Mode::Settle => {}
            Mode::FailFast => {
                if let Some(error) = arg.take_failure() {
                    return Err(super::scheduler::one_failure(name(), error));
                }
            }
            Mode::Supervise => {
                if let Some(error) = arg.take_failure() {
                    self.late.push(Failure::new(name(), error));
                }
            }
        }
        Ok(())
    }

    /// Aborts the listed arguments still running and waits for them, in
    /// order from `progress.stopped` (so each wake-up resumes where the
    /// last one stopped, not from the start), then for the orphans.
    pub(crate) fn poll_stop_list<Fut, T>(
        &mut self,
        args: &mut [SpawnedArg<Fut, T, E>],
        progress: &mut ListProgress,
        cx: &mut Context<'_>,
    ) -> Poll<()>
    where
        T: Send + 'static,
    {
        #[cfg(feature = "tree")]
        self.tree.stopping();
        if progress.stopped == 0 {
            // Abort them all first, so they end side by side.
            for arg in args.iter_mut() {
                if let Spawned::Running(handle) = &arg.state {
                    handle.abort();
                }
            }
        }
        while let Some(arg) = args.get_mut(progress.stopped) {
            let index = progress.stopped as u64;
            match self.mode {
                Mode::Settle => ready!(self.poll_stop_settled(arg, cx)),
                Mode::FailFast | Mode::Supervise => ready!(self.poll_stop(arg, cx, index)),
            }
            progress.stopped += 1;
        }
        self.poll_orphans(cx)
    }

    /// The outcome of every listed argument, in order.
    pub(crate) fn take_list<Fut, T>(
        &self,
        args: &mut [SpawnedArg<Fut, T, E>],
    ) -> Vec<Result<T, TaskError<E>>>
    where
        T: Send + 'static,
    {
        args.iter_mut().map(|arg| self.take_settled(arg)).collect()
    }

    /// Whether a failure was collected while the children ran (supervised).
    pub(crate) fn has_failures(&self) -> bool {
        !self.late.is_empty()
    }

    /// The values of the listed arguments, in order, once every one has
    /// succeeded: one that has not is a bug to fail loudly on, never a value
    /// to leave out of the list.
    pub(crate) fn take_values<Fut, T>(&self, args: &mut [SpawnedArg<Fut, T, E>]) -> Vec<T>
    where
        T: Send + 'static,
    {
        args.iter_mut().map(|arg| self.take(arg)).collect()
    }
}

/// Where a list of arguments stands between passes.
#[derive(Default)]
pub(crate) struct ListProgress {
    /// The next argument to start: those before it started, in order.
    next: usize,
    /// Started and not collected.
    live: Vec<usize>,
    /// Children whose outcome was collected from their handle.
    collected: usize,
    /// Arguments seen ended while stopping.
    stopped: usize,
}

impl ListProgress {
    /// The list ended with every one of its `len` outcomes taken, none
    /// running: stopping has nothing to visit (a pass over a million
    /// emptied arguments is not free).
    pub(crate) fn all_taken(&mut self, len: usize) {
        debug_assert!(self.live.is_empty() && self.next == len);
        self.stopped = len;
    }
}
