//! The orphan registry: tasks whose owner was dropped while they ran, and
//! the scope or gather that waits for them instead.
//!
//! Dropping a nested scope aborts its children, but tokio drops an aborted
//! task only when it next runs it (and a task in the middle of a poll on
//! another worker finishes that poll first). So a dropped nested group hands
//! "wait until none of my children is live" to the group it runs in, whose
//! scope waits for it; grandchildren of those are handed on the same way (a
//! dropped group forwards to its enclosing one). Aborted task sets and tasks
//! owned outside a group (`as_completed`, a spawning `gather!`) are handed
//! over as well. "The group it runs in" is a thread-local, set while a
//! child or a scope's body is polled or dropped (see [`entered`]: a
//! group's child moves in its group, others are wrapped in an [`InRegistry`]).

use std::any::Any;
use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
#[cfg(feature = "tree")]
use std::sync::Weak;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering, Ordering::SeqCst};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, ready};

use futures_util::task::AtomicWaker;
use tokio::task::{JoinHandle, JoinSet};

use crate::panic::drop_caught;

/// What a running child or scope body makes current for its thread: a
/// group's shared state (its children carry it anyway) or a registry of
/// its own (a gather's, a scope body's).
pub(crate) trait Enclosing: Any + Send + Sync {
    /// The registry dropped owners hand their tasks to.
    fn registry(self: Arc<Self>) -> Arc<Orphans>;
    /// For moving it back to its typed owner.
    fn into_any(self: Arc<Self>) -> Arc<dyn Any + Send + Sync>;
    /// Where a group opened now, in the code this runs, sits in the tree.
    #[cfg(feature = "tree")]
    fn tree_parent(&self) -> Option<crate::tree::Parent>;
}

impl Enclosing for Orphans {
    fn registry(self: Arc<Self>) -> Arc<Orphans> {
        self
    }
    fn into_any(self: Arc<Self>) -> Arc<dyn Any + Send + Sync> {
        self
    }
    #[cfg(feature = "tree")]
    fn tree_parent(&self) -> Option<crate::tree::Parent> {
        self.tree_owner?.parent()
    }
}

thread_local! {
    /// What the child (or body) this thread is polling or dropping runs
    /// in, moved in by [`entered`] for that time and moved back after.
    ///
    /// A `Cell` moved in and out rather than tokio's `task_local!`, which
    /// wraps every child in a `TaskLocalFuture`, and a group's child moves
    /// in the group it holds anyway: no second shared pointer per child.
    static CURRENT: Cell<Option<Arc<dyn Enclosing>>> = const { Cell::new(None) };
}

/// Calls `f` with what the running child or body runs in, if any.
fn with_current<R>(f: impl FnOnce(Option<&Arc<dyn Enclosing>>) -> R) -> R {
    match CURRENT.try_with(Cell::take) {
        Ok(current) => {
            // Put back even if `f` panics (it does not: it only clones or
            // counts, but the owner's pointer must never be lost).
            struct PutBack(Option<Arc<dyn Enclosing>>);
            impl Drop for PutBack {
                fn drop(&mut self) {
                    let _ = CURRENT.try_with(|cell| cell.set(self.0.take()));
                }
            }
            let current = PutBack(current);
            f(current.0.as_ref())
        }
        // The thread is exiting: no group runs on it any more.
        Err(_) => f(None),
    }
}

/// The registry of the group whose child (or body) is running, if any.
pub(crate) fn enclosing() -> Option<Arc<Orphans>> {
    with_current(|current| current.map(|current| Arc::clone(current).registry()))
}

/// Where a group opened now sits in the task tree: under the child or
/// body running on this thread, if any.
#[cfg(feature = "tree")]
pub(crate) fn tree_parent() -> Option<crate::tree::Parent> {
    with_current(|current| current?.tree_parent())
}

/// Runs `f` with `home`'s pointer moved into [`CURRENT`], and moved back
/// after (also when `f` panics); what was there before is restored. `home`
/// is `None` only for that time. Moves nest: each is undone in reverse
/// order, so what comes back is what went in.
pub(crate) fn entered<R: Enclosing, Out>(
    home: &mut Option<Arc<R>>,
    f: impl FnOnce() -> Out,
) -> Out {
    struct Leave<'a, R: Enclosing> {
        home: &'a mut Option<Arc<R>>,
        previous: Option<Arc<dyn Enclosing>>,
    }
    impl<R: Enclosing> Drop for Leave<'_, R> {
        fn drop(&mut self) {
            let previous = self.previous.take();
            if let Ok(Some(mine)) = CURRENT.try_with(|cell| cell.replace(previous)) {
                *self.home = mine.into_any().downcast::<R>().ok();
                debug_assert!(self.home.is_some(), "CURRENT restored out of order");
            }
        }
    }
    if home.is_none() {
        // Nothing to enter (`in_enclosing_group` outside any group): leave
        // the current one as it is.
        return f();
    }
    match CURRENT.try_with(|cell| cell.replace(home.take().map(|mine| mine as Arc<dyn Enclosing>)))
    {
        Ok(previous) => {
            let _leave = Leave { home, previous };
            f()
        }
        // The thread is exiting: run without (as tokio's task-locals do).
        Err(_) => f(),
    }
}

pin_project_lite::pin_project! {
    /// `future`, polled and dropped so that what is dropped inside it
    /// hands its tasks to `registry` (see the module's doc). The future is
    /// dropped as soon as it is ready, inside too.
    pub(crate) struct InRegistry<F> {
        registry: Option<Arc<Orphans>>,
        #[pin]
        future: Option<F>,
    }

    impl<F> PinnedDrop for InRegistry<F> {
        fn drop(this: Pin<&mut Self>) {
            let this = this.project();
            let mut future = this.future;
            if future.is_some() {
                entered(this.registry, || future.set(None));
            }
        }
    }
}

impl<F: Future> Future for InRegistry<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        let mut future = this.future;
        entered(this.registry, || {
            let Some(running) = future.as_mut().as_pin_mut() else {
                return Poll::Pending; // never polled again after it is done
            };
            let output = ready!(running.poll(cx));
            future.set(None);
            Poll::Ready(output)
        })
    }
}

/// `future`, run so that what is dropped inside it hands its tasks to
/// `registry`.
pub(crate) fn run_in<F: Future>(registry: &Arc<Orphans>, future: F) -> InRegistry<F> {
    InRegistry {
        registry: Some(Arc::clone(registry)),
        future: Some(future),
    }
}

/// Aborts `set` and hands it to the group whose child is running, if any, so
/// that group's scope waits for its tasks too (see [`Orphans`]). For task
/// sets a child owns outside a nested group, such as an `as_completed` stream.
pub(crate) fn hand_over_to_enclosing<T: Send + 'static>(mut set: JoinSet<T>) {
    set.abort_all();
    if set.is_empty() {
        return;
    }
    if let Some(enclosing) = enclosing() {
        enclosing.push(Box::new(set));
    }
}

/// `future`, run so that groups dropped inside it hand their children to the
/// group whose child is running now (if any), as a child's own do.
pub(crate) fn in_enclosing_group<F: Future>(future: F) -> InRegistry<F> {
    InRegistry {
        registry: enclosing(),
        future: Some(future),
    }
}

/// The orphan registry of a spawning `gather!`, which has no group: its
/// children run inside it, and the gather waits for what it collects.
pub(crate) struct OrphanScope {
    orphans: Arc<Orphans>,
    /// Cleared by [`ended`](Self::ended): nothing is left to hand over.
    live: bool,
}

impl OrphanScope {
    /// A registry whose children report their end to `signal`; `id` is
    /// the gather's, for the task tree.
    pub(crate) fn new(signal: Signal, id: u64) -> Self {
        OrphanScope::with(Some(signal), id)
    }

    /// A registry for children that are watched otherwise (a race's, in a
    /// `JoinSet`).
    pub(crate) fn unsignalled(id: u64) -> Self {
        OrphanScope::with(None, id)
    }

    #[cfg_attr(not(feature = "tree"), allow(unused_variables))]
    fn with(signal: Option<Signal>, id: u64) -> Self {
        OrphanScope {
            orphans: Arc::new(Orphans {
                sets: Mutex::default(),
                any: AtomicBool::default(),
                sink: Mutex::default(),
                signal,
                #[cfg(feature = "tree")]
                tree_owner: Some(crate::tree::Owner::Children(id)),
                #[cfg(feature = "tree")]
                tree_list: std::sync::OnceLock::new(),
            }),
            live: true,
        }
    }

    pub(crate) fn signal(&self) -> &Signal {
        match &self.orphans.signal {
            Some(signal) => signal,
            None => unreachable!("only a gather's OrphanScope asks for its signal"),
        }
    }

    /// `child`, run so that groups dropped inside it hand their aborted
    /// children to this registry.
    pub(crate) fn run<F: Future>(&self, child: F) -> InRegistry<F> {
        run_in(&self.orphans, child)
    }

    /// `child`, run as [`run`](Self::run) does, telling this registry's
    /// signal when it ends (a gather's child, argument `index`).
    #[cfg_attr(not(feature = "tree"), allow(unused_variables))]
    pub(crate) fn run_signalled<F: Future>(&self, child: F, index: usize) -> Signalled<F> {
        Signalled {
            child: self.run(child),
            #[cfg(feature = "tree")]
            index,
            #[cfg(not(feature = "tree"))]
            index: (),
        }
    }

    /// Where the gather's children tell the task tree they ended.
    #[cfg(feature = "tree")]
    pub(crate) fn tell_tree(&self, list: Weak<crate::tree::ListState>) {
        let _ = self.orphans.tree_list.set(list);
    }

    /// Ready once every handed-over task has ended (see [`Orphans::poll_drain`]).
    pub(crate) fn poll_drain(&self, cx: &mut Context<'_>, panics: &mut Vec<String>) -> Poll<()> {
        self.orphans.poll_drain(cx, panics)
    }

    /// Every child has ended and [`poll_drain`](Self::poll_drain) was ready:
    /// no task can be handed over any more, so dropping skips the hand-over.
    pub(crate) fn ended(mut self) {
        self.live = false;
    }
}

impl Drop for OrphanScope {
    fn drop(&mut self) {
        if self.live {
            // Dropped before its tasks ended: the enclosing group waits instead.
            self.orphans.hand_over(enclosing().as_ref());
        }
    }
}

pin_project_lite::pin_project! {
    /// A gather's child: run in the gather's registry (as [`InRegistry`]),
    /// telling the gather's [`Signal`] when it has ended, and whether in a
    /// failure. Told through the registry it holds, once its future has
    /// been dropped. (Its handle may not be ready yet when the gather wakes:
    /// then it is polled with the gather's waker, which the handle wakes.)
    pub(crate) struct Signalled<F> {
        #[pin]
        child: InRegistry<F>,
        // Its argument's place, for the task tree; nothing without it.
        index: TreeIndex,
    }
}

#[cfg(feature = "tree")]
type TreeIndex = usize;
#[cfg(not(feature = "tree"))]
type TreeIndex = ();

impl<F: Future<Output = Result<T, E>>, T, E> Future for Signalled<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        let mut child = this.child;
        let outcome = ready!(child.as_mut().poll(cx));
        if let Some(registry) = child.project().registry.as_ref() {
            #[cfg(feature = "tree")]
            if let Some(list) = registry.tree_list.get().and_then(Weak::upgrade) {
                list.ended(*this.index);
            }
            #[cfg(not(feature = "tree"))]
            let () = *this.index;
            if let Some(signal) = &registry.signal {
                signal.ended(outcome.is_err());
            }
        }
        Poll::Ready(outcome)
    }
}

/// Aborts a task owned outside any `JoinSet` and hands it to the group whose
/// child is running, if any, so that group's scope waits for it to end.
pub(crate) fn hand_over_task<T: Send + 'static>(task: JoinHandle<T>) {
    task.abort();
    if let Some(enclosing) = enclosing() {
        enclosing.push(Box::new(task));
    }
}

/// What a scope or a gather waits for besides its own children: tasks of
/// owners dropped inside them (see the module's doc).
#[derive(Default)]
pub(crate) struct Orphans {
    sets: Mutex<Vec<Box<dyn Drain>>>,
    /// Whether `sets` may be non-empty, so the scope, which drains after
    /// every child, skips the lock in groups that never get orphans (most).
    /// Set after a push: the push happens before the child that made it
    /// completes, so the scope sees it once it sees that child complete.
    any: AtomicBool,
    sink: Mutex<Sink>,
    /// For a gather's registry: how its children say they ended. Kept here
    /// so each child holds one shared pointer (its `InRegistry`'s), not two.
    signal: Option<Signal>,
    /// Whose code runs in this registry, for the task tree: a scope's body
    /// or a gather's children.
    #[cfg(feature = "tree")]
    pub(crate) tree_owner: Option<crate::tree::Owner>,
    /// A gather's node in the task tree, which its children tell they ended.
    #[cfg(feature = "tree")]
    tree_list: std::sync::OnceLock<Weak<crate::tree::ListState>>,
}

#[derive(Default)]
enum Sink {
    /// The group is running: its scope drains `sets`.
    #[default]
    Own,
    /// The group was dropped inside another group: hand on to it.
    Forward(Arc<Orphans>),
    /// A top-level group was dropped: no scope is left to wait.
    Gone,
}

impl Drop for Orphans {
    fn drop(&mut self) {
        // Unlinks the forwarding chain one registry at a time: dropping the
        // last pointer to a long chain would otherwise recurse once per link.
        let mut next = forward_of(&mut self.sink);
        while let Some(registry) = next {
            next = match Arc::try_unwrap(registry) {
                Ok(mut registry) => forward_of(&mut registry.sink),
                Err(_) => None,
            };
        }
    }
}

/// Takes the enclosing registry out of a sink that forwards to one.
fn forward_of(sink: &mut Mutex<Sink>) -> Option<Arc<Orphans>> {
    match std::mem::take(sink.get_mut().unwrap_or_else(PoisonError::into_inner)) {
        Sink::Forward(enclosing) => Some(enclosing),
        Sink::Own | Sink::Gone => None,
    }
}

/// Tasks a dropped owner handed over, waited for by a scope or a gather.
pub(crate) trait Drain: Send {
    /// Ready once every task has ended. Their outcomes are dropped (the
    /// owner that wanted them is gone); a panic in that drop is pushed to
    /// `panics`.
    fn poll_drain(&mut self, cx: &mut Context<'_>, panics: &mut Vec<String>) -> Poll<()>;
}

impl<T: Send + 'static> Drain for JoinSet<T> {
    fn poll_drain(&mut self, cx: &mut Context<'_>, panics: &mut Vec<String>) -> Poll<()> {
        while let Some(outcome) = ready!(self.poll_join_next(cx)) {
            panics.extend(drop_caught(outcome));
        }
        Poll::Ready(())
    }
}

impl<T: Send + 'static> Drain for JoinHandle<T> {
    fn poll_drain(&mut self, cx: &mut Context<'_>, panics: &mut Vec<String>) -> Poll<()> {
        let outcome = ready!(Pin::new(self).poll(cx));
        panics.extend(drop_caught(outcome));
        Poll::Ready(())
    }
}

impl Orphans {
    /// The registry of a scope's body (the scope's `id`, for the task tree).
    #[cfg_attr(not(feature = "tree"), allow(unused_variables))]
    pub(crate) fn for_body(id: u64) -> Self {
        #[cfg_attr(not(feature = "tree"), allow(unused_mut))]
        let mut orphans = Orphans::default();
        #[cfg(feature = "tree")]
        {
            orphans.tree_owner = Some(crate::tree::Owner::Body(id));
        }
        orphans
    }
}

impl Orphans {
    /// Hands `set` to the first registry up the chain of dropped groups
    /// whose scope still waits. A loop, not recursion: a chain of nested
    /// groups can be as deep as the program likes.
    pub(crate) fn push(self: &Arc<Self>, set: Box<dyn Drain>) {
        let mut registry = Arc::clone(self);
        loop {
            let next = {
                let sink = registry.sink.lock().unwrap_or_else(PoisonError::into_inner);
                match &*sink {
                    Sink::Own => {
                        let mut sets = registry.sets.lock().unwrap_or_else(PoisonError::into_inner);
                        sets.push(set);
                        registry.any.store(true, Ordering::Release);
                        return;
                    }
                    Sink::Forward(enclosing) => Arc::clone(enclosing),
                    Sink::Gone => break,
                }
            };
            registry = next;
        }
        drop(set);
    }

    /// Where this registry's hand-overs end up: itself while its scope
    /// waits, else the end of its forwarding chain (`None`: nobody waits).
    fn destination(self: &Arc<Self>) -> Option<Arc<Orphans>> {
        let mut registry = Arc::clone(self);
        loop {
            let next = match &*registry.sink.lock().unwrap_or_else(PoisonError::into_inner) {
                Sink::Own => None,
                Sink::Forward(enclosing) => Some(Arc::clone(enclosing)),
                Sink::Gone => return None,
            };
            match next {
                Some(next) => registry = next,
                None => return Some(registry),
            }
        }
    }

    /// The group was dropped: what it waited for goes to `enclosing`.
    /// Forwarded straight to the end of `enclosing`'s chain, so chains of
    /// dropped groups stay one link long however deep the nesting.
    pub(crate) fn hand_over(&self, enclosing: Option<&Arc<Orphans>>) {
        let enclosing = enclosing.and_then(Orphans::destination);
        let enclosing = enclosing.as_ref();
        let mut sink = self.sink.lock().unwrap_or_else(PoisonError::into_inner);
        *sink = enclosing.map_or(Sink::Gone, |e| Sink::Forward(Arc::clone(e)));
        let sets = {
            let mut sets = self.sets.lock().unwrap_or_else(PoisonError::into_inner);
            self.any.store(false, Ordering::Relaxed);
            std::mem::take(&mut *sets)
        };
        drop(sink);
        if let Some(enclosing) = enclosing {
            for set in sets {
                enclosing.push(set);
            }
        }
    }

    /// Ready once every handed-over child has been dropped; the messages of
    /// panics while dropping their outcomes are pushed to `panics`.
    pub(crate) fn poll_drain(&self, cx: &mut Context<'_>, panics: &mut Vec<String>) -> Poll<()> {
        if !self.any.load(Ordering::Acquire) {
            return Poll::Ready(());
        }
        let mut sets = self.sets.lock().unwrap_or_else(PoisonError::into_inner);
        sets.retain_mut(|set| set.poll_drain(cx, panics).is_pending());
        if sets.is_empty() {
            self.any.store(false, Ordering::Relaxed);
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }
}

/// When the children wake the gather: when the last one ends, at a failure
/// (fail-fast), or at every end when a `limit` must admit the next. The
/// gather polls the handles only then, so it runs once for a gather that
/// succeeds, as a loop awaiting each `JoinHandle` in turn would, rather than
/// once per child.
pub(crate) struct Signal {
    unfinished: AtomicUsize,
    any_failed: AtomicBool,
    waker: AtomicWaker,
    fail_fast: bool,
    every_end: bool,
}

impl Signal {
    /// The signal of `arity` children. `fail_fast`: a failure wakes the
    /// gather; `every_end`: every end does (a `limit` admits the next).
    pub(crate) fn new(arity: usize, fail_fast: bool, every_end: bool) -> Self {
        Signal {
            unfinished: AtomicUsize::new(arity),
            any_failed: AtomicBool::new(false),
            waker: AtomicWaker::new(),
            fail_fast,
            every_end,
        }
    }

    /// A child ended, in `failure` or not.
    pub(crate) fn ended(&self, failure: bool) {
        if failure && self.fail_fast {
            self.any_failed.store(true, SeqCst);
        }
        let last = self.unfinished.fetch_sub(1, SeqCst) == 1;
        if last || self.every_end || (failure && self.fail_fast) {
            self.waker.wake();
        }
    }

    /// Whether the handles may hold news. Registers `cx` first, so an end
    /// signalled after this check wakes it.
    pub(crate) fn news(&self, cx: &Context<'_>) -> bool {
        self.waker.register(cx.waker());
        self.every_end || self.any_failed.load(SeqCst) || self.unfinished.load(SeqCst) == 0
    }

    /// How many of `arity` children have signalled their end. Registers
    /// `cx` first, as [`news`](Self::news) does.
    pub(crate) fn ended_of(&self, arity: usize, cx: &Context<'_>) -> usize {
        self.waker.register(cx.waker());
        arity.saturating_sub(self.unfinished.load(SeqCst))
    }

    /// Whether a child failed (fail-fast mode).
    pub(crate) fn any_failed(&self) -> bool {
        self.any_failed.load(SeqCst)
    }
}
