//! Test doubles shared by the integration tests: drop guards that prove a
//! cancelled child's future was dropped, a high-water mark of children
//! running at once, quiet expected panics, and captured log lines.

// Each test file compiles this module on its own and uses part of it.
#![allow(dead_code)]

use std::future::Future;
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};

use taskgroup::{ErrorGroup, TaskGroup};

/// Counts how many of its guards have been dropped.
#[derive(Clone, Default)]
pub struct Drops(Arc<AtomicUsize>);

impl Drops {
    /// A guard to move into a child's future; counted when that future is dropped.
    pub fn guard(&self) -> DropGuard {
        DropGuard(Arc::clone(&self.0))
    }

    /// How many guards have been dropped so far.
    pub fn count(&self) -> usize {
        self.0.load(SeqCst)
    }
}

/// Made by [`Drops::guard`].
pub struct DropGuard(Arc<AtomicUsize>);

impl Drop for DropGuard {
    fn drop(&mut self) {
        self.0.fetch_add(1, SeqCst);
    }
}

/// Counts children running at once and keeps the highest count seen.
#[derive(Clone, Default)]
pub struct HighWater {
    running: Arc<AtomicUsize>,
    max: Arc<AtomicUsize>,
}

impl HighWater {
    /// Runs `work`, counted as one running child while it runs.
    pub async fn track<F: Future>(&self, work: F) -> F::Output {
        let now = self.running.fetch_add(1, SeqCst) + 1;
        self.max.fetch_max(now, SeqCst);
        let output = work.await;
        self.running.fetch_sub(1, SeqCst);
        output
    }

    /// The most children that ran at once.
    pub fn max(&self) -> usize {
        self.max.load(SeqCst)
    }
}

/// Yields to the scheduler `n` times: work that takes several polls.
pub async fn yield_times(n: usize) {
    for _ in 0..n {
        tokio::task::yield_now().await;
    }
}

/// Keeps the test output readable: panics whose payload `expected` accepts
/// are provoked on purpose and not printed; any other panic is printed as
/// usual. The first call in a test binary decides (a panic hook is global).
pub fn quiet_panics(expected: fn(&(dyn std::any::Any + Send)) -> bool) {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !expected(info.payload()) {
                default(info);
            }
        }));
    });
}

/// Whether a panic's message (a `&str` or `String` payload) starts with `prefix`.
pub fn message_starts_with(payload: &(dyn std::any::Any + Send), prefix: &str) -> bool {
    payload
        .downcast_ref::<&str>()
        .is_some_and(|s| s.starts_with(prefix))
        || payload
            .downcast_ref::<String>()
            .is_some_and(|s| s.starts_with(prefix))
}

/// Collects everything a `fmt` subscriber writes, to assert on log lines.
#[derive(Clone, Default)]
pub struct Logs(Arc<Mutex<Vec<u8>>>);

impl Logs {
    /// Every line written so far.
    pub fn lines(&self) -> Vec<String> {
        let bytes = self.0.lock().unwrap().clone();
        String::from_utf8(bytes)
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect()
    }

    /// The warning lines written so far.
    pub fn warnings(&self) -> Vec<String> {
        self.lines()
            .into_iter()
            .filter(|line| line.contains("WARN"))
            .collect()
    }

    /// Everything written so far, as one string.
    pub fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

impl Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Logs {
    type Writer = Logs;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

fn subscriber(level: tracing::Level, logs: &Logs) -> impl tracing::Subscriber + Send + Sync {
    tracing_subscriber::fmt()
        .with_max_level(level)
        .with_ansi(false)
        .with_writer(logs.clone())
        .finish()
}

/// Logs of this thread only, while the guard lives: for tests on the
/// current-thread runtime, where every child is polled on this thread.
///
/// One capture at a time in a test binary: tracing's process-wide level
/// hint and callsite interest are recomputed whenever a subscriber comes or
/// goes, and a test capturing at `DEBUG` beside one capturing at `WARN` saw
/// its child's span skipped in that window (CI, `observe.rs`).
pub fn capture_logs(level: tracing::Level) -> (Logs, LogCapture) {
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    // A test that failed while capturing leaves nothing to repair.
    let turn = ONE_AT_A_TIME.lock().unwrap_or_else(PoisonError::into_inner);
    let logs = Logs::default();
    let subscriber = tracing::subscriber::set_default(subscriber(level, &logs));
    (
        logs,
        LogCapture {
            _subscriber: subscriber,
            _turn: turn,
        },
    )
}

/// A capture's subscriber and its turn, given up in that order.
pub struct LogCapture {
    _subscriber: tracing::subscriber::DefaultGuard,
    _turn: MutexGuard<'static, ()>,
}

/// Every warning of the process, for multi-thread tests (their workers do
/// not see a thread-local subscriber). The first call in a test binary
/// installs the global subscriber.
pub fn global_warnings() -> &'static Logs {
    static LOGS: OnceLock<Logs> = OnceLock::new();
    LOGS.get_or_init(|| {
        let logs = Logs::default();
        tracing::subscriber::set_global_default(subscriber(tracing::Level::WARN, &logs)).unwrap();
        logs
    })
}

/// The names of an error group's members, in order.
pub fn names<E>(group: &ErrorGroup<E>) -> Vec<String> {
    group.iter().map(|f| f.name().to_string()).collect()
}

/// Each member of `group` as (name, error in `Debug`), in the group's order.
pub fn members<E: std::fmt::Debug>(group: &ErrorGroup<E>) -> Vec<(String, String)> {
    group
        .iter()
        .map(|f| (f.name().to_string(), format!("{:?}", f.error())))
        .collect()
}

/// A shared counter of work that actually got done.
#[derive(Clone, Default)]
pub struct Count(Arc<AtomicUsize>);

impl Count {
    pub fn bump(&self) -> usize {
        self.0.fetch_add(1, SeqCst) + 1
    }
    pub fn get(&self) -> usize {
        self.0.load(SeqCst)
    }
}

/// Panics with `msg` when `really` is set: lets a child's future keep its
/// `Result` output type while it panics.
pub fn explode(really: bool, msg: &'static str) -> Result<(), &'static str> {
    if really {
        panic!("{msg}");
    }
    Ok(())
}

/// The number of children a group currently holds, read from its `Debug`
/// output (`TaskGroup { phase: .., children: N, .. }`).
pub fn held_children<E: 'static>(tg: &TaskGroup<E>) -> usize {
    let debug = format!("{tg:?}");
    let rest = debug
        .split("children: ")
        .nth(1)
        .expect("Debug shows the children");
    rest.split(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap()
        .parse()
        .unwrap()
}
