//! Randomized task trees: proptest builds random trees of nested
//! groups and checks, after every case, the promises of structured
//! concurrency: no leaked child, no lost or duplicated failure, no
//! cancellation reported as a failure.
//!
//! # The trees
//! A group (depth ≤ 4, ≤ 20 children, random supervisor or fail-fast mode)
//! spawns its children, then its body aborts some of them by handle at random
//! times, and ends at a random time with `Ok` or `Err` (a body failure); some
//! groups have a deadline (`Builder::timeout`, paused clock only), reported
//! as a `deadline` member that timed out. Each child waits a random delay on
//! the paused clock, then succeeds, returns
//! `Err`, panics (`&str`, `String` or `panic_any(42u32)` payloads), never
//! completes, runs a nested group (`spawn_nested`), or spawns a sibling into
//! its own group through a clone of the `TaskGroup`. The scope future is
//! dropped from outside at a random virtual time (`timeout_at`), or at a far
//! horizon so a tree that never ends still ends.
//!
//! # The invariants (checked after every case)
//! 1. No leaked child: every child future (and every group body) carries a
//!    drop guard; after the run, the count of live guards returns to zero and
//!    created == dropped. After an outside cancellation the aborted children
//!    are dropped by the runtime later, so the test waits on a counter +
//!    `Notify`; on the paused clock that wait must take zero virtual time
//!    (a child that needs time to end was still running) and no child may log
//!    an event after the scope future was dropped.
//! 2. The scope never returns before all its children ended: when any scope
//!    (root or nested) returns, the live count of its whole subtree is zero.
//! 3. Every failure that happened is reported exactly once, in the group that
//!    owned it: for every group that returned, its `ErrorGroup` equals (as a
//!    multiset) the failures its children logged, plus the reported lists of
//!    its nested groups renamed `task-N/...` (flattened), plus the body's `Err`.
//! 4. No cancellation is ever reported as a failure (no `Cancelled` member,
//!    no `TimedOut` but a group's own `deadline`; aborted and cancelled
//!    children appear nowhere).
//! 5. Fail-fast: after the first failure in a fail-fast group (at virtual time
//!    t), no sibling completes its work later than t; in both modes, none
//!    after the body's `Err` or the group's deadline.
//! 6. An exact oracle (paused clock only): a simulation of the tree in virtual
//!    time predicts every leaf event (done, failed, panicked), whether the root
//!    returns or is cancelled from outside, and its failures in order. When two
//!    decisive events fall on the same virtual instant the runtime's order is
//!    an implementation detail, so the oracle marks the case a "tie" and only
//!    invariants 1-5 are checked (the runtime reports every failure that
//!    happened before the cancellation took effect). About 1% of the cases
//!    are ties.
//! 7. Gather (`gather_results_come_in_input_order`): `gather_settled` returns
//!    every outcome in input order; `gather_all` the values in input order,
//!    or exactly the failures of the first failing instant, each once, the
//!    others cancelled; no future outlives either call.
//! 8. Gather on worker threads (`gather_on_worker_threads_keeps_its_guarantees`):
//!    on 2 or 4 workers, with a random `limit` and in supervisor mode or not,
//!    no future outlives
//!    `gather_all`/`gather_settled`, at most `limit` run at once, outcomes and
//!    values come in input order, every reported failure was injected and is
//!    reported once, and a supervised `gather_all` reports all of them.
//!
//! Both gather properties draw a quarter of their lists from the sizes
//! around tokio's cooperative budget of 128 polls (127-130, 200, 255-257):
//! a list driver cut short by the budget can lose values there; and, rarely,
//! 1,000 or 10,000.
//!
//! Both runtime flavours run: the current-thread runtime with a paused clock
//! (exact oracle), and a multi-thread runtime (2 or 4 workers, at random)
//! where the clock cannot be paused: there the delays are dropped, children start together on a
//! go-latch (a `CancellationToken`), and outside cancellation happens after a
//! random number of logged events or once only never-completing children are
//! left (a busy counter reaching zero). Invariants 1-4 are checked there; a
//! quarter of the children have slow destructors, to widen drop races.
//!
//! # Profiles
//! - quick (CI, `cargo test`): 300 paused + 100 multi-thread cases, plus 200
//!   gather cases and 100 on worker threads; about a second in debug. New
//!   random cases on every run.
//! - stress: `PROPTEST_CASES=10000 cargo test -p taskgroup-tests --release
//!   --test reliability` runs 10,000 cases of *each* property (both flavours),
//!   ~15 s; `PROPTEST_CASES=100000` ~2 min.
//!
//! Known limitation, by design: a supervisor group nested in a group that is
//! cancelled (from outside, by its parent's failure, or by `abort`) loses the
//! failures it collected but had not returned yet: dropping a scope cannot
//! return anything. The oracle models that (a killed group reports nothing).

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use proptest::prelude::*;
use taskgroup::{Builder, ErrorGroup, TaskError, TaskGroup, TaskHandle};
use tokio::sync::Notify;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

mod common;

type BoxFut<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;
type GroupResult = Result<(), ErrorGroup<Injected>>;

/// Longest child delay, in virtual milliseconds.
const MAX_DELAY: u64 = 1000;
/// Latest end of a body, in virtual milliseconds.
const BODY_MAX: u64 = 1500;
/// Where a case ends when the generator chose no outside cancellation.
const HORIZON: u64 = 10_000_000;
const NEVER: u64 = u64::MAX;

fn cases(quick: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(quick)
}

fn config(quick: u32) -> ProptestConfig {
    ProptestConfig {
        cases: cases(quick),
        // Shrunk failures are printed; no regression files in the source tree.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------- the model

/// The error a child injects: its full path, so a report can't be mixed up.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Injected(String);

impl fmt::Display for Injected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "injected error in {}", self.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Payload {
    Str,
    String,
    U32,
}

#[derive(Debug, Clone)]
enum Action {
    Succeed,
    Fail,
    Panic(Payload),
    Hang,
    Nested(Box<Group>),
    /// Spawn this (leaf) sibling into the own group, then succeed.
    Sibling(Box<Child>),
}

#[derive(Debug, Clone)]
struct Child {
    delay: u64,
    action: Action,
    /// When the body aborts this child by its handle, from the group's start.
    abort_at: Option<u64>,
}

#[derive(Debug, Clone)]
struct Group {
    supervisor: bool,
    body_end: u64,
    body_fails: bool,
    /// `Builder::timeout`, in virtual ms (paused clock only).
    timeout: Option<u64>,
    children: Vec<Child>,
}

#[derive(Debug, Clone)]
struct Case {
    root: Group,
    /// Paused clock: the virtual time the scope future is dropped at.
    /// Multi-thread: the number of logged events after which it is dropped.
    outside_cancel: Option<u64>,
}

impl Group {
    fn has_hang(&self) -> bool {
        self.children.iter().any(|c| match &c.action {
            Action::Hang => true,
            Action::Nested(g) => g.has_hang(),
            Action::Sibling(s) => matches!(s.action, Action::Hang),
            _ => false,
        })
    }

    /// Group path → supervisor, for every group of the tree.
    fn modes(&self, path: &str, out: &mut BTreeMap<String, bool>) {
        out.insert(path.to_string(), self.supervisor);
        for (i, c) in self.children.iter().enumerate() {
            if let Action::Nested(g) = &c.action {
                g.modes(&join(path, &format!("task-{i}")), out);
            }
        }
    }
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}/{name}")
    }
}

fn panic_text(payload: Payload, full: &str) -> String {
    match payload {
        Payload::Str => "injected panic".to_string(),
        Payload::String => format!("injected panic in {full}"),
        Payload::U32 => "a panic with a non-string payload".to_string(),
    }
}

/// How a failure is rendered for comparison: `name=kind:detail`, the name
/// relative to the group that reports it.
fn render_failure(local: &str, full: &str, action: &Action) -> String {
    match action {
        Action::Fail => format!("{local}=err:{full}"),
        Action::Panic(p) => format!("{local}=panic:{}", panic_text(*p, full)),
        _ => unreachable!("only failures are rendered"),
    }
}

fn render_group(group: &ErrorGroup<Injected>) -> Vec<String> {
    group
        .iter()
        .map(|f| {
            let kind = match f.error() {
                TaskError::Failed(e) => format!("err:{}", e.0),
                TaskError::Panicked(msg) => format!("panic:{msg}"),
                // Only the group's own deadline times out.
                TaskError::TimedOut(after)
                    if f.name() == "deadline" || f.name().to_string().ends_with("/deadline") =>
                {
                    format!("timeout:{}", after.as_millis())
                }
                TaskError::TimedOut(_) => "TIMED-OUT (a cancellation reported as failure)".into(),
                TaskError::Cancelled => "CANCELLED (a cancellation reported as failure)".into(),
                _ => "UNKNOWN".into(),
            };
            format!("{}={kind}", f.name())
        })
        .collect()
}

// ------------------------------------------------------------ generation

fn leaf_action() -> BoxedStrategy<Action> {
    prop_oneof![
        5 => Just(Action::Succeed),
        2 => Just(Action::Fail),
        1 => prop_oneof![Just(Payload::Str), Just(Payload::String), Just(Payload::U32)]
            .prop_map(Action::Panic),
        1 => Just(Action::Hang),
    ]
    .boxed()
}

fn child(depth: u32) -> BoxedStrategy<Child> {
    let sibling = (1..=MAX_DELAY, leaf_action()).prop_map(|(delay, action)| {
        Action::Sibling(Box::new(Child {
            delay,
            action,
            abort_at: None,
        }))
    });
    let action = if depth >= 4 {
        prop_oneof![9 => leaf_action(), 1 => sibling].boxed()
    } else {
        // Fewer nested groups deeper down keeps the trees' size reasonable.
        let nested_weight = if depth == 1 { 3 } else { 1 };
        prop_oneof![
            16 => leaf_action(),
            nested_weight => group(depth + 1).prop_map(|g| Action::Nested(Box::new(g))),
            2 => sibling,
        ]
        .boxed()
    };
    (
        1..=MAX_DELAY,
        action,
        prop::option::weighted(0.15, 0..=BODY_MAX),
    )
        .prop_map(|(delay, action, abort_at)| Child {
            delay,
            action,
            abort_at,
        })
        .boxed()
}

fn group(depth: u32) -> BoxedStrategy<Group> {
    (
        any::<bool>(),
        0..=BODY_MAX,
        prop::bool::weighted(0.15),
        prop::collection::vec(child(depth), 0..=20),
        prop::option::weighted(0.15, 1..=3000u64),
    )
        .prop_map(
            |(supervisor, body_end, body_fails, mut children, timeout)| {
                for c in &mut children {
                    // The body aborts while it runs.
                    c.abort_at = c.abort_at.map(|a| a.min(body_end));
                }
                Group {
                    supervisor,
                    body_end,
                    body_fails,
                    timeout,
                    children,
                }
            },
        )
        .boxed()
}

fn case() -> impl Strategy<Value = Case> {
    (group(1), prop::option::weighted(0.3, 0..=3000u64)).prop_map(|(root, outside_cancel)| Case {
        root,
        outside_cancel,
    })
}

// ---------------------------------------------------------------- the oracle

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum EvKind {
    Done,
    /// A leaf's or a body's failure, rendered as the group reports it.
    Failure(String),
    /// A nested group returned `Err`.
    NestedFailed,
}

#[derive(Debug, Clone)]
struct Event {
    group: String,
    local: String,
    kind: EvKind,
    at: u64,
}

/// A simulation of a tree in virtual time, from the runtime's documented
/// semantics. `tie` is set whenever a decision compares two equal instants.
#[derive(Default)]
struct Oracle {
    tie: bool,
    events: Vec<(String, String, EvKind)>,
}

impl Oracle {
    fn before(&mut self, a: u64, b: u64) -> bool {
        if a == b && a != NEVER {
            self.tie = true;
        }
        a < b
    }

    fn event(&mut self, group: &str, local: &str, kind: EvKind) {
        self.events
            .push((group.to_string(), local.to_string(), kind));
    }

    /// Simulates group `g` started at `s`, its scope dropped at `kill`.
    /// Returns when it returns (`NEVER` if killed first) and its failures in
    /// report order, names relative to the group.
    fn group(&mut self, g: &Group, path: &str, s: u64, kill: u64) -> (u64, Vec<String>) {
        let n = g.children.len();
        // A child is cut when aborted by handle or when the group is dropped.
        let abort: Vec<u64> = g
            .children
            .iter()
            .map(|c| c.abort_at.map_or(NEVER, |a| s + a))
            .collect();
        let cutk: Vec<u64> = abort.iter().map(|a| (*a).min(kill)).collect();
        // Pass 1: when each child would fail, ignoring the group's own
        // cancellation (a failure defines it, so it happens before it).
        let mut fail_at = vec![NEVER; n];
        for (i, c) in g.children.iter().enumerate() {
            let t = s + c.delay;
            if t >= cutk[i] {
                continue;
            }
            fail_at[i] = match &c.action {
                Action::Fail | Action::Panic(_) => t,
                Action::Nested(ng) => {
                    let (r, f) = Oracle::default().group(ng, "", t, cutk[i]);
                    if r != NEVER && !f.is_empty() {
                        r
                    } else {
                        NEVER
                    }
                }
                Action::Sibling(sib) if matches!(sib.action, Action::Fail | Action::Panic(_)) => {
                    let ts = t + sib.delay;
                    if ts < kill { ts } else { NEVER }
                }
                _ => NEVER,
            };
        }
        let b = s + g.body_end;
        let body_fail = g.body_fails && self.before(b, kill);
        // The instant the group starts cancelling its children: the first
        // failure (fail-fast), or the body's `Err` (both modes).
        let mut candidates: Vec<u64> = if g.supervisor {
            Vec::new()
        } else {
            fail_at.clone()
        };
        if body_fail {
            candidates.push(b);
        }
        // The deadline cancels like a failure, in both modes, if the group
        // is still running then.
        let deadline = g.timeout.map_or(NEVER, |t| s + t);
        let before_failure = candidates.iter().copied().min().unwrap_or(NEVER);
        let deadline_fires = deadline != NEVER
            && self.before(deadline, kill)
            && deadline <= before_failure
            && (before_failure != NEVER || {
                let natural = self.natural_end(g, s, kill);
                self.before(deadline, natural)
            });
        if deadline_fires {
            candidates.push(deadline);
        }
        let tc = candidates.iter().copied().min().unwrap_or(NEVER);
        if tc != NEVER {
            // Two failures at the cancelling instant (in supervisor mode a
            // child failing at the instant the body fails) race.
            let at_tc = fail_at.iter().filter(|&&f| f == tc).count()
                + usize::from(body_fail && b == tc)
                + usize::from(deadline_fires && deadline == tc);
            if at_tc > 1 {
                self.tie = true;
            }
        }

        // Pass 2: what happens.
        let mut fails: Vec<(u64, Vec<String>)> = Vec::new();
        // When each child ends without a group cancellation (used when
        // there is none); `NEVER` when only the outside one ends it.
        let mut ends: Vec<u64> = vec![b];
        let mut end_tie = false;
        for (i, c) in g.children.iter().enumerate() {
            let t = s + c.delay;
            let ci = cutk[i].min(tc);
            let local = format!("c{i}");
            match &c.action {
                Action::Succeed => {
                    if self.before(t, ci) {
                        self.event(path, &local, EvKind::Done);
                    }
                    ends.push(end(t, abort[i], kill, &mut end_tie));
                }
                Action::Fail | Action::Panic(_) => {
                    if self.before(t, cutk[i]) && t <= tc {
                        let r = render_failure(&local, &join(path, &local), &c.action);
                        self.event(path, &local, EvKind::Failure(r.clone()));
                        fails.push((t, vec![r]));
                    }
                    ends.push(end(t, abort[i], kill, &mut end_tie));
                }
                Action::Hang => ends.push(end(NEVER, abort[i], kill, &mut end_tie)),
                Action::Nested(ng) => {
                    let local = format!("task-{i}");
                    if !self.before(t, ci) {
                        ends.push(end(NEVER, abort[i], kill, &mut end_tie));
                        continue;
                    }
                    let nested_kill = if fail_at[i] <= tc { cutk[i] } else { ci };
                    let (r, f) = self.group(ng, &join(path, &local), t, nested_kill);
                    if r == NEVER {
                        ends.push(end(NEVER, abort[i], kill, &mut end_tie));
                    } else if f.is_empty() {
                        self.event(path, &local, EvKind::Done);
                        ends.push(r);
                    } else {
                        self.event(path, &local, EvKind::NestedFailed);
                        fails.push((r, f.iter().map(|x| format!("{local}/{x}")).collect()));
                        ends.push(r);
                    }
                }
                Action::Sibling(sib) => {
                    if !self.before(t, ci) {
                        ends.push(end(NEVER, abort[i], kill, &mut end_tie));
                        continue;
                    }
                    self.event(path, &local, EvKind::Done);
                    ends.push(t);
                    let ts = t + sib.delay;
                    let sname = format!("c{i}s");
                    match &sib.action {
                        Action::Succeed => {
                            if self.before(ts, kill.min(tc)) {
                                self.event(path, &sname, EvKind::Done);
                            }
                            ends.push(end(ts, NEVER, kill, &mut end_tie));
                        }
                        Action::Fail | Action::Panic(_) => {
                            if self.before(ts, kill) && ts <= tc {
                                let r = render_failure(&sname, &join(path, &sname), &sib.action);
                                self.event(path, &sname, EvKind::Failure(r.clone()));
                                fails.push((ts, vec![r]));
                            }
                            ends.push(end(ts, NEVER, kill, &mut end_tie));
                        }
                        Action::Hang => ends.push(NEVER),
                        _ => unreachable!("siblings are leaves"),
                    }
                }
            }
        }
        if deadline_fires && deadline <= tc {
            let t = g.timeout.unwrap_or_default();
            fails.push((deadline, vec![format!("deadline=timeout:{t}")]));
        }
        let mut body_failure = None;
        if body_fail && b <= tc {
            let r = format!("body=err:{}", join(path, "body"));
            self.event(path, "body", EvKind::Failure(r.clone()));
            body_failure = Some(r);
        }
        let ret = if tc != NEVER {
            tc
        } else {
            self.tie |= end_tie;
            ends.iter().copied().max().unwrap_or(b)
        };
        if !self.before(ret, kill) {
            return (NEVER, Vec::new());
        }
        // Children's failures in the order they arrived; the body's last.
        // Two arriving at the same instant come in the runtime's order.
        fails.sort_by_key(|(at, _)| *at);
        if fails.windows(2).any(|w| w[0].0 == w[1].0) {
            self.tie = true;
        }
        let mut list: Vec<String> = fails.into_iter().flat_map(|(_, f)| f).collect();
        list.extend(body_failure);
        (ret, list)
    }
}

impl Oracle {
    /// When group `g` would end if nothing cancelled it (`NEVER`: only the
    /// outside cancellation ends it).
    fn natural_end(&mut self, g: &Group, s: u64, kill: u64) -> u64 {
        let mut tie = false;
        let mut ends = vec![s + g.body_end];
        for c in &g.children {
            let t = s + c.delay;
            let abort = c.abort_at.map_or(NEVER, |a| s + a);
            let cut = abort.min(kill);
            tie |= t == cut;
            let e = match &c.action {
                Action::Hang => end(NEVER, abort, kill, &mut tie),
                _ if t >= cut => end(NEVER, abort, kill, &mut tie),
                Action::Nested(ng) => match Oracle::default().group(ng, "", t, cut) {
                    (NEVER, _) => end(NEVER, abort, kill, &mut tie),
                    (r, _) => r,
                },
                Action::Sibling(sib) => {
                    let ts = t + sib.delay;
                    match sib.action {
                        Action::Hang => NEVER,
                        _ => t.max(end(ts, NEVER, kill, &mut tie)),
                    }
                }
                _ => end(t, abort, kill, &mut tie),
            };
            ends.push(e);
        }
        self.tie |= tie;
        ends.into_iter().max().unwrap_or(NEVER)
    }
}

/// When a child that would end by itself at `natural` ends, given its abort
/// by handle and the outside cancellation: `NEVER` if only the latter ends it.
fn end(natural: u64, abort: u64, kill: u64, tie: &mut bool) -> u64 {
    let cut = abort.min(kill);
    if natural < cut {
        return natural;
    }
    if abort < kill {
        return abort;
    }
    // Ending (or being aborted) at the instant the scope is dropped races it.
    if cut != NEVER && (natural == cut || abort == kill) {
        *tie = true;
    }
    NEVER
}

// ------------------------------------------------------ the instrumented run

#[derive(Debug)]
struct Returned {
    group: String,
    failures: Vec<String>,
    started: u64,
    at: u64,
    /// The group's deadline (paused clock only).
    timeout: Option<u64>,
}

struct Ctx {
    start: Instant,
    paused: bool,
    live: AtomicUsize,
    created: AtomicUsize,
    dropped: AtomicUsize,
    /// Futures that may still make progress by themselves (multi-thread).
    busy: AtomicUsize,
    events_n: AtomicUsize,
    changed: Notify,
    log: Mutex<Vec<Event>>,
    returned: Mutex<Vec<Returned>>,
    violations: Mutex<Vec<String>>,
}

impl Ctx {
    fn new(paused: bool) -> Arc<Ctx> {
        Arc::new(Ctx {
            start: Instant::now(),
            paused,
            live: AtomicUsize::new(0),
            created: AtomicUsize::new(0),
            dropped: AtomicUsize::new(0),
            busy: AtomicUsize::new(0),
            events_n: AtomicUsize::new(0),
            changed: Notify::new(),
            log: Mutex::new(Vec::new()),
            returned: Mutex::new(Vec::new()),
            violations: Mutex::new(Vec::new()),
        })
    }

    fn now_ms(&self) -> u64 {
        (Instant::now() - self.start).as_millis() as u64
    }

    async fn sleep_until(&self, ms: u64) {
        if self.paused {
            tokio::time::sleep_until(self.start + Duration::from_millis(ms)).await;
        }
    }

    fn event(&self, group: &str, local: &str, kind: EvKind) {
        self.log.lock().unwrap().push(Event {
            group: group.to_string(),
            local: local.to_string(),
            kind,
            at: self.now_ms(),
        });
        self.events_n.fetch_add(1, SeqCst);
        self.changed.notify_waiters();
    }

    fn violation(&self, what: String) {
        self.violations.lock().unwrap().push(what);
    }

    /// Waits until `done` holds, re-checked on every counter change.
    async fn wait_for(&self, done: impl Fn(&Ctx) -> bool) {
        loop {
            let changed = self.changed.notified();
            let mut changed = std::pin::pin!(changed);
            changed.as_mut().enable();
            if done(self) {
                return;
            }
            changed.await;
        }
    }
}

/// Counts one child future (or group body) alive, in the whole case and in
/// the subtree of every enclosing group.
struct Guard {
    ctx: Arc<Ctx>,
    subtrees: Vec<Arc<AtomicUsize>>,
    busy: bool,
    /// Multi-thread only: a destructor that takes a while, which widens the
    /// windows where a scope could miss a child still being dropped.
    slow: bool,
}

impl Guard {
    fn new(ctx: &Arc<Ctx>, subtrees: &[Arc<AtomicUsize>]) -> Guard {
        let n = ctx.created.fetch_add(1, SeqCst);
        ctx.live.fetch_add(1, SeqCst);
        ctx.busy.fetch_add(1, SeqCst);
        for s in subtrees {
            s.fetch_add(1, SeqCst);
        }
        Guard {
            ctx: Arc::clone(ctx),
            subtrees: subtrees.to_vec(),
            busy: true,
            slow: !ctx.paused && n % 4 == 3,
        }
    }

    /// From here on the future waits for nothing but cancellation.
    fn idle(&mut self) {
        if std::mem::take(&mut self.busy) {
            self.ctx.busy.fetch_sub(1, SeqCst);
            self.ctx.changed.notify_waiters();
        }
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        if self.slow {
            // Not a synchronisation: only makes the destructor slow.
            std::thread::sleep(Duration::from_micros(100));
        }
        for s in &self.subtrees {
            s.fetch_sub(1, SeqCst);
        }
        self.ctx.dropped.fetch_add(1, SeqCst);
        self.ctx.live.fetch_sub(1, SeqCst);
        self.idle();
        self.ctx.changed.notify_waiters();
    }
}

/// A leaf child: waits for the go-latch and its delay, then acts.
fn leaf(
    ctx: Arc<Ctx>,
    go: CancellationToken,
    mut guard: Guard,
    group: String,
    local: String,
    at: u64,
    action: Action,
) -> BoxFut<Result<(), Injected>> {
    Box::pin(async move {
        go.cancelled().await;
        ctx.sleep_until(at).await;
        let full = join(&group, &local);
        match &action {
            Action::Succeed => {
                ctx.event(&group, &local, EvKind::Done);
                Ok(())
            }
            Action::Fail => {
                ctx.event(
                    &group,
                    &local,
                    EvKind::Failure(render_failure(&local, &full, &action)),
                );
                Err(Injected(full))
            }
            Action::Panic(p) => {
                ctx.event(
                    &group,
                    &local,
                    EvKind::Failure(render_failure(&local, &full, &action)),
                );
                match p {
                    Payload::Str => panic!("injected panic"),
                    Payload::String => std::panic::panic_any(format!("injected panic in {full}")),
                    Payload::U32 => std::panic::panic_any(42u32),
                }
            }
            Action::Hang => {
                guard.idle();
                std::future::pending().await
            }
            Action::Nested(_) | Action::Sibling(_) => unreachable!("not a leaf"),
        }
    })
}

/// Runs group `g` as a scope; `ancestors` are the live counters of the
/// enclosing groups' subtrees.
fn run_group(
    ctx: Arc<Ctx>,
    g: Arc<Group>,
    path: String,
    start: u64,
    ancestors: &[Arc<AtomicUsize>],
) -> BoxFut<GroupResult> {
    let subtree = Arc::new(AtomicUsize::new(0));
    let mut counters = ancestors.to_vec();
    counters.push(Arc::clone(&subtree));
    let body_guard = Guard::new(&ctx, &counters);
    let mut builder = Builder::new();
    if g.supervisor {
        builder = builder.supervisor();
    }
    // A real-time deadline would make the multi-thread runs timing-dependent.
    let timeout = g.timeout.filter(|_| ctx.paused);
    if let Some(t) = timeout {
        builder = builder.timeout(Duration::from_millis(t));
    }
    Box::pin(async move {
        let result = builder
            .scope({
                let (ctx, path) = (Arc::clone(&ctx), path.clone());
                move |tg| body(ctx, tg, g, path, start, counters, body_guard)
            })
            .await;
        // Invariant 2: nothing of this group's subtree outlives its scope.
        let left = subtree.load(SeqCst);
        if left != 0 {
            ctx.violation(format!(
                "group `{path}` returned with {left} live children/bodies in its subtree"
            ));
        }
        let failures = match &result {
            Ok(()) => Vec::new(),
            Err(group) => render_group(group),
        };
        ctx.returned.lock().unwrap().push(Returned {
            group: path,
            failures,
            started: start,
            at: ctx.now_ms(),
            timeout,
        });
        result
    })
}

async fn body(
    ctx: Arc<Ctx>,
    tg: TaskGroup<Injected>,
    g: Arc<Group>,
    path: String,
    s: u64,
    counters: Vec<Arc<AtomicUsize>>,
    guard: Guard,
) -> GroupResult {
    let go = CancellationToken::new();
    let mut aborts: Vec<(u64, TaskHandle<(), Injected>)> = Vec::new();
    for (i, c) in g.children.iter().enumerate() {
        let at = s + c.delay;
        let child_guard = Guard::new(&ctx, &counters);
        let spawned = match &c.action {
            Action::Nested(ng) => tg.spawn_nested(nested(
                Arc::clone(&ctx),
                go.clone(),
                child_guard,
                path.clone(),
                i,
                at,
                Arc::new((**ng).clone()),
                counters.clone(),
            )),
            Action::Sibling(sib) => tg.spawn_named(
                format!("c{i}"),
                spawner(
                    Arc::clone(&ctx),
                    go.clone(),
                    child_guard,
                    tg.clone(),
                    path.clone(),
                    i,
                    at,
                    (**sib).clone(),
                    counters.clone(),
                ),
            ),
            other => tg.spawn_named(
                format!("c{i}"),
                leaf(
                    Arc::clone(&ctx),
                    go.clone(),
                    child_guard,
                    path.clone(),
                    format!("c{i}"),
                    at,
                    other.clone(),
                ),
            ),
        };
        match spawned {
            Ok(handle) => {
                if let Some(a) = c.abort_at {
                    aborts.push((a, handle));
                }
            }
            Err(e) => ctx.violation(format!("group `{path}`: spawn of child {i} refused: {e}")),
        }
    }
    go.cancel();
    aborts.sort_by_key(|(a, _)| *a);
    for (a, handle) in aborts {
        ctx.sleep_until(s + a).await;
        handle.abort();
    }
    ctx.sleep_until(s + g.body_end).await;
    drop(guard);
    if g.body_fails {
        let full = join(&path, "body");
        ctx.event(&path, "body", EvKind::Failure(format!("body=err:{full}")));
        Err(ErrorGroup::from(Injected(full)))
    } else {
        Ok(())
    }
}

#[allow(clippy::too_many_arguments)]
fn nested(
    ctx: Arc<Ctx>,
    go: CancellationToken,
    mut guard: Guard,
    parent: String,
    i: usize,
    at: u64,
    g: Arc<Group>,
    counters: Vec<Arc<AtomicUsize>>,
) -> BoxFut<GroupResult> {
    Box::pin(async move {
        go.cancelled().await;
        ctx.sleep_until(at).await;
        let local = format!("task-{i}");
        // The nested body's guard exists (busy) before this one goes idle.
        let run = run_group(Arc::clone(&ctx), g, join(&parent, &local), at, &counters);
        guard.idle();
        let result = run.await;
        let kind = if result.is_ok() {
            EvKind::Done
        } else {
            EvKind::NestedFailed
        };
        ctx.event(&parent, &local, kind);
        result
    })
}

#[allow(clippy::too_many_arguments)]
fn spawner(
    ctx: Arc<Ctx>,
    go: CancellationToken,
    guard: Guard,
    tg: TaskGroup<Injected>,
    group: String,
    i: usize,
    at: u64,
    sib: Child,
    counters: Vec<Arc<AtomicUsize>>,
) -> BoxFut<Result<(), Injected>> {
    Box::pin(async move {
        let _guard = guard;
        go.cancelled().await;
        ctx.sleep_until(at).await;
        let name = format!("c{i}s");
        let sib_guard = Guard::new(&ctx, &counters);
        let fut = leaf(
            Arc::clone(&ctx),
            go,
            sib_guard,
            group.clone(),
            name.clone(),
            at + sib.delay,
            sib.action,
        );
        // Refused when the group is already cancelling: the future is dropped
        // unpolled (its guard counts that).
        let _ = tg.spawn_named(name, fut);
        ctx.event(&group, &format!("c{i}"), EvKind::Done);
        Ok(())
    })
}

// ---------------------------------------------------------------- checking

/// Silences the panics this file injects; anything else still prints.
fn quiet_injected_panics() {
    common::quiet_panics(|payload| {
        common::message_starts_with(payload, "injected panic")
            || payload.downcast_ref::<u32>() == Some(&42)
    });
}

/// What a run observed.
struct Observed {
    /// `None`: the scope future was dropped from outside.
    root: Option<GroupResult>,
    ended_at: u64,
    live_at_end: usize,
    drained: bool,
    drained_at: u64,
}

/// Invariants 1-5 (and 6 when the oracle is exact).
fn check(case: &Case, ctx: &Ctx, obs: &Observed) -> Vec<String> {
    let mut problems: Vec<String> = ctx.violations.lock().unwrap().clone();
    let (created, dropped) = (ctx.created.load(SeqCst), ctx.dropped.load(SeqCst));
    // 1. no leak
    if !obs.drained || created != dropped {
        problems.push(format!(
            "leak: {created} child futures created, {dropped} dropped, {} live",
            ctx.live.load(SeqCst)
        ));
    }
    if obs.root.is_some() && obs.live_at_end != 0 {
        problems.push(format!(
            "the root scope returned with {} live children",
            obs.live_at_end
        ));
    }
    let log = ctx.log.lock().unwrap().clone();
    if ctx.paused {
        if obs.drained_at != obs.ended_at {
            problems.push(format!(
                "children needed virtual time to end after the scope ended at {} ms (drained at {} ms)",
                obs.ended_at, obs.drained_at
            ));
        }
        for e in log.iter().filter(|e| e.at > obs.ended_at) {
            problems.push(format!("child ran after its scope ended: {e:?}"));
        }
    }
    // 3, 4. every failure that happened is reported once by its group.
    let returned = ctx.returned.lock().unwrap();
    let lists: BTreeMap<&str, &Vec<String>> = returned
        .iter()
        .map(|r| (r.group.as_str(), &r.failures))
        .collect();
    for r in returned.iter() {
        let mut expected: Vec<String> = Vec::new();
        for e in log.iter().filter(|e| e.group == r.group) {
            match &e.kind {
                EvKind::Done => {}
                EvKind::Failure(rendered) => expected.push(rendered.clone()),
                EvKind::NestedFailed => {
                    let nested = join(&r.group, &e.local);
                    match lists.get(nested.as_str()) {
                        Some(list) => {
                            expected.extend(list.iter().map(|f| format!("{}/{f}", e.local)))
                        }
                        None => problems.push(format!("no report of nested group `{nested}`")),
                    }
                }
            }
        }
        // The deadline's own failure, when it passed before the group ended
        // (at the same instant, either way).
        if let Some(t) = r.timeout {
            let dl = format!("deadline=timeout:{t}");
            let due = r.started + t;
            if due < r.at || (due == r.at && r.failures.contains(&dl)) {
                expected.push(dl);
            }
        }
        let mut actual = r.failures.clone();
        expected.sort();
        actual.sort();
        if expected != actual {
            problems.push(format!(
                "group `{}` reported {actual:#?}\nbut its children's failures were {expected:#?}",
                r.group
            ));
        }
    }
    match &obs.root {
        Some(result) => {
            let rendered = result.as_ref().err().map(render_group).unwrap_or_default();
            if lists.get("") != Some(&&rendered) {
                problems.push(format!("root result {rendered:?} not logged as returned"));
            }
        }
        None => {
            if lists.contains_key("") {
                problems.push("root logged as returned but was cancelled".into());
            }
        }
    }
    if !ctx.paused {
        return problems;
    }
    // 5. no child completes its work after its group started cancelling:
    // the first failure (fail-fast), the body's `Err` or the deadline.
    let mut modes = BTreeMap::new();
    case.root.modes("", &mut modes);
    let by_path: BTreeMap<&str, &Returned> =
        returned.iter().map(|r| (r.group.as_str(), r)).collect();
    for (path, supervisor) in &modes {
        let failed = log
            .iter()
            .filter(|e| &e.group == path)
            .filter(|e| match &e.kind {
                EvKind::Done => false,
                EvKind::Failure(_) if e.local == "body" => true,
                _ => !supervisor,
            })
            .map(|e| e.at);
        let timed_out = by_path.get(path.as_str()).and_then(|r| {
            let t = r.timeout?;
            let dl = format!("deadline=timeout:{t}");
            r.failures.contains(&dl).then_some(r.started + t)
        });
        if let Some(first) = failed.chain(timed_out).min() {
            for e in log
                .iter()
                .filter(|e| &e.group == path && e.kind == EvKind::Done && e.at > first)
            {
                problems.push(format!(
                    "group `{path}` started cancelling at {first} ms but {e:?} completed later"
                ));
            }
        }
    }
    // 6. the exact oracle.
    let mut oracle = Oracle::default();
    let kill = case.outside_cancel.unwrap_or(HORIZON);
    let (ret, list) = oracle.group(&case.root, "", 0, kill);
    if !oracle.tie {
        let mut predicted = oracle.events.clone();
        let mut happened: Vec<_> = log
            .iter()
            .map(|e| (e.group.clone(), e.local.clone(), e.kind.clone()))
            .collect();
        predicted.sort();
        happened.sort();
        if predicted != happened {
            let missing: Vec<_> = predicted.iter().filter(|p| !happened.contains(p)).collect();
            let extra: Vec<_> = happened.iter().filter(|h| !predicted.contains(h)).collect();
            problems.push(format!(
                "oracle: events predicted but missing {missing:#?}, happened but not predicted {extra:#?}"
            ));
        }
        match (&obs.root, ret == NEVER) {
            (None, true) => {}
            (Some(result), false) => {
                let rendered = result.as_ref().err().map(render_group).unwrap_or_default();
                if rendered != list {
                    problems.push(format!(
                        "oracle: root should report {list:#?} in this order, reported {rendered:#?}"
                    ));
                }
                if obs.ended_at != ret {
                    problems.push(format!(
                        "oracle: root should return at {ret} ms, returned at {} ms",
                        obs.ended_at
                    ));
                }
            }
            (None, false) => problems.push(format!(
                "oracle: root should return at {ret} ms, was cancelled from outside at {} ms",
                obs.ended_at
            )),
            (Some(_), true) => problems.push(format!(
                "oracle: root should be cancelled from outside at {kill} ms, returned at {} ms",
                obs.ended_at
            )),
        }
    }
    problems
}

// ------------------------------------------------------------- the drivers

fn run_paused(case: &Case) -> (Arc<Ctx>, Observed) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    rt.block_on(async {
        let ctx = Ctx::new(true);
        let kill = case.outside_cancel.unwrap_or(HORIZON);
        let root = run_group(
            Arc::clone(&ctx),
            Arc::new(case.root.clone()),
            String::new(),
            0,
            &[],
        );
        let root = tokio::time::timeout_at(ctx.start + Duration::from_millis(kill), root)
            .await
            .ok();
        let ended_at = ctx.now_ms();
        let live_at_end = ctx.live.load(SeqCst);
        // Aborted children are dropped when the runtime next runs them. The
        // virtual day is no delay: the paused clock only jumps when the
        // runtime is idle, so it just turns "never" into a failed check.
        let drained = tokio::time::timeout(
            Duration::from_secs(86_400),
            ctx.wait_for(|c| c.live.load(SeqCst) == 0),
        )
        .await
        .is_ok();
        let drained_at = ctx.now_ms();
        let obs = Observed {
            root,
            ended_at,
            live_at_end,
            drained,
            drained_at,
        };
        (ctx, obs)
    })
}

fn run_multi_thread(case: &Case, workers: usize) -> (Arc<Ctx>, Observed) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_time()
        .build()
        .unwrap();
    rt.block_on(async {
        let ctx = Ctx::new(false);
        let root = run_group(
            Arc::clone(&ctx),
            Arc::new(case.root.clone()),
            String::new(),
            0,
            &[],
        );
        let has_hang = case.root.has_hang();
        let cut_after = case.outside_cancel.map(|k| (k % 64) as usize);
        let run = async {
            if !has_hang && cut_after.is_none() {
                return Some(root.await);
            }
            // Outside cancellation after `k` events, or once only children
            // that never complete are left (nothing else can end the tree).
            let trigger = ctx.wait_for(|c| {
                cut_after.is_some_and(|k| c.events_n.load(SeqCst) >= k)
                    || (has_hang && c.busy.load(SeqCst) == 0)
            });
            tokio::select! {
                biased;
                r = root => Some(r),
                () = trigger => None,
            }
        };
        // A failure detector, not synchronisation: a correct run takes
        // milliseconds; only a deadlock or a leak reaches it.
        let root = tokio::time::timeout(Duration::from_secs(60), run)
            .await
            .expect("the case deadlocked");
        let live_at_end = ctx.live.load(SeqCst);
        let drained = tokio::time::timeout(
            Duration::from_secs(60),
            ctx.wait_for(|c| c.live.load(SeqCst) == 0),
        )
        .await
        .is_ok();
        let obs = Observed {
            root,
            ended_at: 0,
            live_at_end,
            drained,
            drained_at: 0,
        };
        (ctx, obs)
    })
}

proptest! {
    #![proptest_config(config(300))]

    /// Current-thread runtime, paused clock: invariants 1-6.
    #[test]
    fn random_trees_paused_clock(case in case()) {
        quiet_injected_panics();
        let (ctx, obs) = run_paused(&case);
        let problems = check(&case, &ctx, &obs);
        prop_assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}

proptest! {
    #![proptest_config(config(100))]

    /// Multi-thread runtime (no paused clock): invariants 1-4.
    #[test]
    fn random_trees_multi_thread(case in case(), workers in worker_threads()) {
        quiet_injected_panics();
        let (ctx, obs) = run_multi_thread(&case, workers);
        let problems = check(&case, &ctx, &obs);
        prop_assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}

// ------------------------------------------------------------------ gather

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum GatherOutcome {
    Value,
    Error,
    Panic,
}

/// Worker threads of a multi-thread case.
fn worker_threads() -> impl Strategy<Value = usize> {
    prop_oneof![Just(2), Just(4)]
}

/// List sizes on both sides of tokio's cooperative budget (128 polls per
/// task turn) and of twice it.
const BUDGET_SIZES: &[usize] = &[127, 128, 129, 130, 200, 255, 256, 257];

/// The exactness harness's large sizes, drawn rarely: each case costs
/// thousands of tasks.
const LARGE_SIZES: &[usize] = &[1000, 10_000];

/// A gather's inputs, each a `delay` and how it ends: mostly short lists
/// where a third of the inputs fail; a quarter of the lists have a size in
/// `BUDGET_SIZES` (one in 81 in `LARGE_SIZES`), and then no failure (so
/// `gather_all`'s values are checked too), one in a hundred, or a third
/// failing.
fn gather_list<D: Strategy + Clone + 'static>(
    delay: D,
    short: std::ops::RangeInclusive<usize>,
) -> impl Strategy<Value = Vec<(D::Value, GatherOutcome)>> {
    let outcome = |value: u32| {
        prop_oneof![
            value => Just(GatherOutcome::Value),
            2 => Just(GatherOutcome::Error),
            1 => Just(GatherOutcome::Panic),
        ]
    };
    let short = prop::collection::vec((delay.clone(), outcome(6)), short);
    let sized = move |sizes: &'static [usize]| {
        let delay = delay.clone();
        (prop::sample::select(sizes), 0..3).prop_flat_map(move |(n, mix)| {
            let outcome = match mix {
                0 => Just(GatherOutcome::Value).boxed(),
                1 => outcome(300).boxed(),
                _ => outcome(6).boxed(),
            };
            prop::collection::vec((delay.clone(), outcome), n)
        })
    };
    prop_oneof![
        60 => short,
        20 => sized(BUDGET_SIZES),
        1 => sized(LARGE_SIZES),
    ]
}

fn gather_items() -> impl Strategy<Value = Vec<(u64, GatherOutcome)>> {
    gather_list(1..=50u64, 0..=20)
}

/// How input `i` of a gather case ends: its value, its error, or a panic.
fn end_as(i: usize, outcome: GatherOutcome) -> Result<usize, Injected> {
    match outcome {
        GatherOutcome::Value => Ok(i * 10),
        GatherOutcome::Error => Err(Injected(format!("task-{i}"))),
        GatherOutcome::Panic => panic!("injected panic"),
    }
}

/// Whether a settled outcome is the one input `i` was made to end with.
fn settled_as_made(
    i: usize,
    outcome: GatherOutcome,
    result: &Result<usize, TaskError<Injected>>,
) -> bool {
    match (outcome, result) {
        (GatherOutcome::Value, Ok(v)) => *v == i * 10,
        (GatherOutcome::Error, Err(TaskError::Failed(e))) => e.0 == format!("task-{i}"),
        (GatherOutcome::Panic, Err(TaskError::Panicked(m))) => m == "injected panic",
        _ => false,
    }
}

/// The futures of a gather case, each with a drop guard counted in `live`.
fn gather_futures(
    items: &[(u64, GatherOutcome)],
    live: &Arc<AtomicUsize>,
) -> Vec<BoxFut<Result<usize, Injected>>> {
    items
        .iter()
        .copied()
        .enumerate()
        .map(|(i, (delay, outcome))| {
            live.fetch_add(1, SeqCst);
            let live = Arc::clone(live);
            Box::pin(async move {
                struct Dec(Arc<AtomicUsize>);
                impl Drop for Dec {
                    fn drop(&mut self) {
                        self.0.fetch_sub(1, SeqCst);
                    }
                }
                let _dec = Dec(live);
                tokio::time::sleep(Duration::from_millis(delay)).await;
                end_as(i, outcome)
            }) as BoxFut<_>
        })
        .collect()
}

proptest! {
    #![proptest_config(config(200))]

    /// `gather_settled` gives every outcome in input order; `gather_all` gives
    /// the values in input order, or exactly the failures of the first
    /// failing instant (the rest cancelled). Nothing outlives either call.
    #[test]
    fn gather_results_come_in_input_order(items in gather_items()) {
        quiet_injected_panics();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .unwrap();
        let live = Arc::new(AtomicUsize::new(0));
        let (settled, all) = rt.block_on(async {
            let settled = taskgroup::gather_settled(gather_futures(&items, &live)).await;
            let settled_live = live.load(SeqCst);
            let all = taskgroup::gather_all(gather_futures(&items, &live)).await;
            ((settled, settled_live), (all, live.load(SeqCst)))
        });
        prop_assert_eq!(settled.1, 0, "gather_settled returned with live futures");
        prop_assert_eq!(all.1, 0, "gather_all returned with live futures");
        prop_assert_eq!(settled.0.len(), items.len());
        for (i, (result, (_, outcome))) in settled.0.iter().zip(&items).enumerate() {
            prop_assert!(settled_as_made(i, *outcome, result), "input {}: {:?} settled as {:?}", i, outcome, result);
        }
        let first_failure = items
            .iter()
            .filter(|(_, o)| *o != GatherOutcome::Value)
            .map(|(d, _)| *d)
            .min();
        match (first_failure, all.0) {
            (None, Ok(values)) => {
                prop_assert_eq!(values, (0..items.len()).map(|i| i * 10).collect::<Vec<_>>())
            }
            (Some(t), Err(group)) => {
                // Failures at the first failing instant race each other; later
                // ones are cancelled. Each reported once, none cancelled.
                let candidates: Vec<String> = items
                    .iter()
                    .enumerate()
                    .filter(|(_, (d, o))| *d == t && *o != GatherOutcome::Value)
                    .map(|(i, _)| format!("task-{i}"))
                    .collect();
                let mut reported: Vec<String> = group.iter().map(|f| f.name().to_string()).collect();
                for f in group.iter() {
                    prop_assert!(
                        matches!(f.error(), TaskError::Failed(_) | TaskError::Panicked(_)),
                        "{:?}", f
                    );
                }
                reported.sort();
                let before = reported.len();
                reported.dedup();
                prop_assert_eq!(before, reported.len(), "a failure reported twice");
                prop_assert!(reported.iter().all(|r| candidates.contains(r)), "{reported:?} ⊄ {candidates:?}");
                if candidates.len() == 1 {
                    prop_assert_eq!(reported, candidates);
                }
            }
            (first, all) => prop_assert!(false, "first failure at {first:?}, gather_all gave {all:?}"),
        }
    }
}

// ----------------------------------------- gather on worker threads, with limit

/// One input of a multi-thread gather case: how many times it yields, and
/// how it ends.
fn mt_gather_items() -> impl Strategy<Value = Vec<(u8, GatherOutcome)>> {
    gather_list(0..6u8, 0..=24)
}

/// Counts running futures and keeps the highest count, and the live ones.
#[derive(Default)]
struct Running {
    now: AtomicUsize,
    most: AtomicUsize,
    live: AtomicUsize,
}

fn mt_gather_futures(
    items: &[(u8, GatherOutcome)],
    running: &Arc<Running>,
) -> Vec<BoxFut<Result<usize, Injected>>> {
    items
        .iter()
        .copied()
        .enumerate()
        .map(|(i, (yields, outcome))| {
            /// Made with the future (which may be dropped unpolled): counts it live.
            struct Live(Arc<Running>);
            impl Drop for Live {
                fn drop(&mut self) {
                    self.0.live.fetch_sub(1, SeqCst);
                }
            }
            /// Made at its first poll: counts it running.
            struct Run(Arc<Running>);
            impl Drop for Run {
                fn drop(&mut self) {
                    self.0.now.fetch_sub(1, SeqCst);
                }
            }
            running.live.fetch_add(1, SeqCst);
            let live = Live(Arc::clone(running));
            let running = Arc::clone(running);
            Box::pin(async move {
                let _live = live;
                let now = running.now.fetch_add(1, SeqCst) + 1;
                running.most.fetch_max(now, SeqCst);
                let _run = Run(running);
                for _ in 0..yields {
                    tokio::task::yield_now().await;
                }
                end_as(i, outcome)
            }) as BoxFut<_>
        })
        .collect()
}

proptest! {
    #![proptest_config(config(100))]

    /// `gather_all` and `gather_settled` on 2 or 4 workers, with a random limit
    /// and in supervisor mode: nothing outlives the call, no more than
    /// `limit` run at once, values come in input order, and every reported
    /// failure is one that was injected, reported once (supervised: all of
    /// them).
    #[test]
    fn gather_on_worker_threads_keeps_its_guarantees(
        items in mt_gather_items(),
        limit in prop::option::of(1..5usize),
        supervised in any::<bool>(),
        workers in worker_threads(),
    ) {
        quiet_injected_panics();
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(workers)
            .build()
            .unwrap();
        let builder = |b: Builder| {
            let b = match limit { Some(n) => b.limit(n), None => b };
            if supervised { b.supervisor() } else { b }
        };
        let running = Arc::new(Running::default());
        let (settled, settled_live, all, all_live) = rt.block_on(async {
            let settled = builder(Builder::new()).gather_settled(mt_gather_futures(&items, &running)).await;
            let settled_live = running.live.load(SeqCst);
            let all = builder(Builder::new()).gather_all(mt_gather_futures(&items, &running)).await;
            (settled, settled_live, all, running.live.load(SeqCst))
        });
        prop_assert_eq!(settled_live, 0, "gather_settled returned with live futures");
        prop_assert_eq!(all_live, 0, "gather_all returned with live futures");
        if let Some(n) = limit {
            prop_assert!(running.most.load(SeqCst) <= n, "more than {} ran at once", n);
        }
        prop_assert_eq!(settled.len(), items.len());
        for (i, (result, (_, outcome))) in settled.iter().zip(&items).enumerate() {
            prop_assert!(settled_as_made(i, *outcome, result), "input {}: {:?} settled as {:?}", i, outcome, result);
        }
        let failing: Vec<String> = items
            .iter()
            .enumerate()
            .filter(|(_, (_, o))| *o != GatherOutcome::Value)
            .map(|(i, _)| format!("task-{i}"))
            .collect();
        match all {
            Ok(values) => {
                prop_assert!(failing.is_empty(), "{:?} failed, gather_all succeeded", failing);
                prop_assert_eq!(values, (0..items.len()).map(|i| i * 10).collect::<Vec<_>>());
            }
            Err(group) => {
                let mut reported: Vec<String> = group.iter().map(|f| f.name().to_string()).collect();
                reported.sort();
                let before = reported.len();
                reported.dedup();
                prop_assert_eq!(before, reported.len(), "a failure reported twice");
                prop_assert!(!reported.is_empty());
                prop_assert!(reported.iter().all(|r| failing.contains(r)), "{:?} ⊄ {:?}", reported, failing);
                if supervised {
                    let mut expected = failing.clone();
                    expected.sort();
                    prop_assert_eq!(reported, expected, "supervised: every failure");
                }
            }
        }
    }
}
