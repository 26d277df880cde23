//! `race_all` and `race!`: the first success wins, the others are cancelled
//! and have been dropped when the race returns; with `stagger` the attempts
//! start one after another, the next at once when the latest fails; when all
//! fail, every failure comes back in start order. Timing is checked on a
//! paused clock, so every instant is exact.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use taskgroup::Builder;
use tokio::time::Instant;

mod common;
use common::Drops;

/// When each attempt started, in milliseconds since the test began.
#[derive(Clone)]
struct Starts {
    origin: Instant,
    seen: Arc<Mutex<Vec<(usize, u128)>>>,
}

impl Starts {
    fn new() -> Self {
        Starts {
            origin: Instant::now(),
            seen: Arc::default(),
        }
    }

    fn record(&self, attempt: usize) {
        let at = self.origin.elapsed().as_millis();
        self.seen.lock().unwrap().push((attempt, at));
    }

    fn seen(&self) -> Vec<(usize, u128)> {
        self.seen.lock().unwrap().clone()
    }
}

/// An attempt that starts (recorded), waits `ms`, then ends with `outcome`.
fn attempt(
    starts: &Starts,
    drops: &Drops,
    index: usize,
    ms: u64,
    outcome: Result<usize, String>,
) -> impl Future<Output = Result<usize, String>> + Send + 'static {
    let (starts, guard) = (starts.clone(), drops.guard());
    async move {
        let _guard = guard;
        starts.record(index);
        tokio::time::sleep(Duration::from_millis(ms)).await;
        outcome
    }
}

/// One [`attempt`] per `(ms, outcome)`, indexed by position.
fn attempts<const N: usize>(
    starts: &Starts,
    drops: &Drops,
    outcomes: [(u64, Result<usize, String>); N],
) -> Vec<impl Future<Output = Result<usize, String>> + Send + 'static> {
    outcomes
        .into_iter()
        .enumerate()
        .map(|(i, (ms, outcome))| attempt(starts, drops, i, ms, outcome))
        .collect()
}

const HOUR: u64 = 3_600_000;

#[tokio::test(start_paused = true)]
async fn race_all_returns_the_first_success_after_dropping_the_losers() {
    let (starts, drops) = (Starts::new(), Drops::default());
    let outcomes = [
        (300, Ok(0)),
        (100, Err("refused".to_string())),
        (200, Ok(2)),
        (HOUR, Ok(3)),
    ];
    let won = taskgroup::race_all(attempts(&starts, &drops, outcomes)).await;
    assert_eq!(won.map_err(|e| e.to_string()), Ok(2));
    // All four were dropped: the failed one and the winner when they
    // ended, the two still running by the race before it returned.
    assert_eq!(drops.count(), 4);
    assert_eq!(starts.seen().len(), 4);
}

#[tokio::test(start_paused = true)]
async fn stagger_starts_each_attempt_a_delay_after_the_previous_one() {
    let (starts, drops) = (Starts::new(), Drops::default());
    // Attempts 0 and 1 hang; 2 answers 10 ms after it starts (at 500 ms),
    // before attempt 3 is due (at 750 ms), which therefore never starts.
    let outcomes = [(HOUR, Ok(0)), (HOUR, Ok(1)), (10, Ok(2)), (10, Ok(3))];
    let started_at = Instant::now();
    let won = Builder::new()
        .stagger(Duration::from_millis(250))
        .race_all(attempts(&starts, &drops, outcomes))
        .await;
    assert_eq!(won.map_err(|e| e.to_string()), Ok(2));
    assert_eq!(started_at.elapsed(), Duration::from_millis(510));
    assert_eq!(starts.seen(), [(0, 0), (1, 250), (2, 500)]);
    assert_eq!(drops.count(), 4, "the unstarted attempt is dropped too");
}

#[tokio::test(start_paused = true)]
async fn a_failure_starts_the_next_attempt_at_once() {
    let (starts, drops) = (Starts::new(), Drops::default());
    // 0 fails at 100 ms: 1 starts then, not at 250 ms. 1 hangs, so 2 starts
    // 250 ms after 1 did (350 ms) and wins at 360 ms.
    let outcomes = [
        (100, Err("refused".to_string())),
        (HOUR, Ok(1)),
        (10, Ok(2)),
    ];
    let won = Builder::new()
        .stagger(Duration::from_millis(250))
        .race_all(attempts(&starts, &drops, outcomes))
        .await;
    assert_eq!(won.map_err(|e| e.to_string()), Ok(2));
    assert_eq!(starts.seen(), [(0, 0), (1, 100), (2, 350)]);
}

#[tokio::test(start_paused = true)]
async fn stagger_max_tries_one_attempt_at_a_time() {
    let (starts, drops) = (Starts::new(), Drops::default());
    let outcomes = [
        (HOUR, Err("slow".to_string())),
        (5, Err("refused".to_string())),
        (5, Ok(2)),
    ];
    // Bounded: were the next attempt never started, the test would fail, not hang.
    let race = Builder::new()
        .stagger(Duration::MAX)
        .race_all(attempts(&starts, &drops, outcomes));
    let won = tokio::time::timeout(Duration::from_millis(2 * HOUR), race)
        .await
        .expect("every attempt started in time");
    assert_eq!(won.map_err(|e| e.to_string()), Ok(2));
    let hour = u128::from(HOUR);
    assert_eq!(starts.seen(), [(0, 0), (1, hour), (2, hour + 5)]);
}

#[tokio::test(start_paused = true)]
async fn when_all_fail_every_failure_is_reported_in_start_order() {
    common::quiet_panics(|payload| common::message_starts_with(payload, "attempt 1"));
    // They fail in reverse order of starting: 2 first, 0 last.
    let err = taskgroup::race_all((0..3u64).map(|i| async move {
        tokio::time::sleep(Duration::from_millis(30 - 10 * i)).await;
        if i == 1 {
            panic!("attempt 1 broke");
        }
        Err::<(), _>(format!("attempt {i} refused"))
    }))
    .await
    .unwrap_err();
    assert_eq!(
        format!("{err:#}"),
        "3 tasks failed:\n  task `task-0` failed: attempt 0 refused\n  \
         task `task-1` failed: panicked: attempt 1 broke\n  task `task-2` failed: attempt 2 refused"
    );
}

#[tokio::test(start_paused = true)]
async fn timeout_reports_the_failures_so_far_then_the_deadline() {
    let (starts, drops) = (Starts::new(), Drops::default());
    let outcomes = [
        (HOUR, Ok(0)),
        (50, Err("refused".to_string())),
        (HOUR, Ok(2)),
    ];
    let started_at = Instant::now();
    let err = Builder::new()
        .stagger(Duration::from_millis(100))
        .timeout(Duration::from_millis(400))
        .race_all(attempts(&starts, &drops, outcomes))
        .await
        .unwrap_err();
    assert_eq!(started_at.elapsed(), Duration::from_millis(400));
    assert_eq!(
        format!("{err:#}"),
        "2 tasks failed:\n  task `task-1` failed: refused\n  task `deadline` failed: timed out after 400ms"
    );
    assert_eq!(starts.seen(), [(0, 0), (1, 100), (2, 150)]);
    assert_eq!(
        drops.count(),
        3,
        "the hanging attempts were dropped before the race returned"
    );
}

/// Many attempts on a multi-threaded runtime: more handles end in one turn
/// than tokio's cooperative budget (128) lets a task poll.
async fn one_winner_among_many(attempts: usize, winner: usize) {
    let drops = Drops::default();
    let won = taskgroup::race_all((0..attempts).map(|i| {
        let guard = drops.guard();
        async move {
            let _guard = guard;
            if i == winner {
                common::yield_times(3).await;
                Ok(i)
            } else if i % 2 == 0 {
                Err(i)
            } else {
                std::future::pending().await
            }
        }
    }))
    .await;
    assert_eq!(won.map_err(|e| e.to_string()), Ok(winner));
    assert_eq!(drops.count(), attempts);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_winner_among_300_attempts_on_2_workers() {
    one_winner_among_many(300, 257).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_winner_among_300_attempts_on_4_workers() {
    one_winner_among_many(300, 131).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_of_200_attempts_failing_are_reported_in_order() {
    let err = taskgroup::race_all((0..200usize).map(|i| async move {
        tokio::task::yield_now().await;
        Err::<(), _>(i)
    }))
    .await
    .unwrap_err();
    let seen: Vec<(String, usize)> = err
        .iter()
        .map(|f| (f.name().to_string(), *f.error().as_failed().unwrap()))
        .collect();
    let expected: Vec<(String, usize)> = (0..200).map(|i| (format!("task-{i}"), i)).collect();
    assert_eq!(seen, expected);
}

#[tokio::test(start_paused = true)]
async fn a_nested_groups_children_have_ended_when_the_race_returns() {
    let drops = Drops::default();
    let guard = drops.guard();
    let loser = async move {
        taskgroup::scope(|tg| async move {
            tg.spawn(async move {
                let _guard = guard;
                std::future::pending::<Result<(), String>>().await
            })?;
            std::future::pending().await
        })
        .await
        .map_err(|e| e.to_string())
    };
    let winner = async move {
        tokio::time::sleep(Duration::from_millis(10)).await;
        Ok(())
    };
    let won = taskgroup::race!(loser, winner).await;
    assert!(won.is_ok());
    assert_eq!(drops.count(), 1, "the loser's grandchild was dropped first");
}

#[test]
#[should_panic(expected = "race_all: no futures to race")]
fn an_empty_race_panics() {
    drop(taskgroup::race_all(
        Vec::<std::future::Ready<Result<(), ()>>>::new(),
    ));
}

#[test]
#[should_panic(expected = "Builder::race_all: `limit` does not apply to a race")]
fn race_all_refuses_a_limit() {
    drop(
        Builder::new()
            .limit(2)
            .race_all([std::future::ready(Ok::<_, ()>(1))]),
    );
}

#[test]
#[should_panic(expected = "Builder::race_all: `grace_period` does not apply")]
fn race_all_refuses_a_grace_period() {
    drop(
        Builder::new()
            .grace_period(Duration::from_secs(1))
            .race_all([std::future::ready(Ok::<_, ()>(1))]),
    );
}

#[test]
#[should_panic(
    expected = "Builder::gather_all/gather_settled: `stagger` applies only to `Builder::race_all`"
)]
fn gather_all_refuses_a_stagger() {
    drop(
        Builder::new()
            .stagger(Duration::from_millis(1))
            .gather_all([std::future::ready(Ok::<_, ()>(1))]),
    );
}

#[test]
#[should_panic(expected = "Builder::as_completed: `stagger` applies only to `Builder::race_all`")]
fn as_completed_refuses_a_stagger() {
    let _ = Builder::new()
        .stagger(Duration::from_millis(1))
        .as_completed([std::future::ready(Ok::<_, ()>(1))]);
}

#[tokio::test]
#[should_panic(expected = "Builder::scope: `stagger` applies only to `Builder::race_all`")]
async fn scope_refuses_a_stagger() {
    let _ = Builder::new()
        .stagger(Duration::from_millis(1))
        .scope(|_tg| async { Ok::<_, taskgroup::ErrorGroup<()>>(()) })
        .await;
}

#[tokio::test(start_paused = true)]
async fn supervisor_changes_nothing_in_a_race() {
    let won = Builder::new()
        .supervisor()
        .race_all([Err("down"), Ok(1)].map(std::future::ready))
        .await;
    assert_eq!(won.map_err(|e| e.len()), Ok(1));
}

#[tokio::test(start_paused = true)]
async fn race_macro_staggers_and_starts_the_next_when_one_fails() {
    let (starts, drops) = (Starts::new(), Drops::default());
    let started_at = Instant::now();
    let won = taskgroup::race!(stagger = Duration::from_millis(250);
        attempt(&starts, &drops, 0, 100, Err("refused".to_string())),
        attempt(&starts, &drops, 1, HOUR, Ok(1)),
        attempt(&starts, &drops, 2, 10, Ok(2)),
        attempt(&starts, &drops, 3, 10, Ok(3)),
    )
    .await;
    assert_eq!(won.map_err(|e| e.to_string()), Ok(2));
    assert_eq!(started_at.elapsed(), Duration::from_millis(360));
    assert_eq!(starts.seen(), [(0, 0), (1, 100), (2, 350)]);
    assert_eq!(drops.count(), 4);
}

#[tokio::test(start_paused = true)]
async fn race_macro_reports_every_failure_in_start_order() {
    let err = taskgroup::race!(
        async {
            tokio::time::sleep(Duration::from_millis(20)).await;
            Err::<u8, _>("first, failing last")
        },
        async { Err("second, failing first") },
    )
    .await
    .unwrap_err();
    assert_eq!(
        format!("{err:#}"),
        "2 tasks failed:\n  task `task-0` failed: first, failing last\n  \
         task `task-1` failed: second, failing first"
    );
}

#[tokio::test(start_paused = true)]
async fn race_macro_timeout_drops_the_running_attempts() {
    let (starts, drops) = (Starts::new(), Drops::default());
    let err = taskgroup::race!(timeout = Duration::from_millis(30);
        attempt(&starts, &drops, 0, HOUR, Ok(0)),
        attempt(&starts, &drops, 1, 10, Err("refused".to_string())),
    )
    .await
    .unwrap_err();
    assert_eq!(
        format!("{err:#}"),
        "2 tasks failed:\n  task `task-1` failed: refused\n  task `deadline` failed: timed out after 30ms"
    );
    assert_eq!(drops.count(), 2);
}

#[tokio::test(start_paused = true)]
async fn local_race_borrows_and_drops_the_losers_before_returning() {
    let (starts, drops) = (Starts::new(), Drops::default());
    let mut log = Vec::new();
    let names = ["primary", "replica"];
    let loser_guard = drops.guard();
    let won = taskgroup::race!(local, stagger = Duration::from_millis(50);
        async {
            let _guard = loser_guard;
            starts.record(0);
            std::future::pending::<()>().await;
            Ok::<_, String>(names[0])
        },
        async {
            starts.record(1);
            log.push("replica answered");
            Ok(names[1])
        },
    )
    .await;
    assert_eq!(won.map_err(|e| e.to_string()), Ok("replica"));
    assert_eq!(starts.seen(), [(0, 0), (1, 50)]);
    assert_eq!(log, ["replica answered"]);
    assert_eq!(drops.count(), 1);
}

#[tokio::test(start_paused = true)]
async fn local_race_all_failing_in_start_order() {
    common::quiet_panics(|payload| common::message_starts_with(payload, "attempt 1"));
    let err = taskgroup::race!(local;
        async {
            tokio::time::sleep(Duration::from_millis(5)).await;
            Err::<(), _>("attempt 0 refused")
        },
        async {
            if true {
                panic!("attempt 1 broke");
            }
            Err("unreachable")
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        format!("{err:#}"),
        "2 tasks failed:\n  task `task-0` failed: attempt 0 refused\n  task `task-1` failed: panicked: attempt 1 broke"
    );
}

#[tokio::test(start_paused = true)]
async fn a_dropped_race_hands_its_attempts_to_the_enclosing_scope() {
    let (starts, drops) = (Starts::new(), Drops::default());
    let outcomes = [(HOUR, Ok(0)), (HOUR, Ok(1))];
    let race = taskgroup::race_all(attempts(&starts, &drops, outcomes));
    taskgroup::scope(|_tg| async move {
        // The race is dropped at the timeout, its attempts still running.
        let cut_short = tokio::time::timeout(Duration::from_millis(10), race).await;
        assert!(cut_short.is_err());
        Ok::<_, taskgroup::ErrorGroup<()>>(())
    })
    .await
    .unwrap();
    assert_eq!(starts.seen(), [(0, 0), (1, 0)]);
    assert_eq!(
        drops.count(),
        2,
        "the scope waited for the aborted attempts"
    );
}

/// The ERROR lines logged while `race` ran.
async fn errors_logged_by<T>(race: impl std::future::Future<Output = T>) -> (T, Vec<String>) {
    let (logs, _capture) = common::capture_logs(tracing::Level::ERROR);
    let result = race.await;
    let errors = logs
        .lines()
        .into_iter()
        .filter(|line| line.contains("ERROR"))
        .collect();
    (result, errors)
}

fn assert_one_line_ending(lines: &[String], end: &str) {
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].ends_with(end), "{lines:?}");
}

/// A loser's panic is a bug: a won race has no place for it in its result,
/// so it is logged, not lost.
#[tokio::test(start_paused = true)]
async fn a_losers_panic_in_a_won_race_is_logged() {
    common::quiet_panics(|p| common::message_starts_with(p, "loser"));
    let (won, errors) = errors_logged_by(taskgroup::race_all([
        Box::pin(async {
            tokio::time::sleep(Duration::from_millis(10)).await;
            Ok::<u32, ()>(1)
        }) as futures::future::BoxFuture<'static, Result<u32, ()>>,
        Box::pin(async { panic!("loser") }),
    ]))
    .await;
    assert_eq!(won, Ok(1));
    assert_one_line_ending(&errors, "attempt `task-1` of a won race panicked: loser");
}

/// What a race's attempts return: a plain value, or one whose destructor
/// panics.
#[derive(Debug, PartialEq)]
enum Value {
    Plain(u32),
    Bomb,
}

impl Drop for Value {
    fn drop(&mut self) {
        if matches!(self, Value::Bomb) {
            panic!("late loser's value");
        }
    }
}

/// A loser that succeeded too late has its value dropped by the race; a
/// panic in that destructor is logged like a loser's panic. On a
/// current-thread runtime both attempts end before the race looks, in
/// start order, so attempt 0 wins and attempt 1's value is the late one.
#[tokio::test(flavor = "current_thread")]
async fn a_panic_dropping_a_late_losers_value_is_logged() {
    common::quiet_panics(|p| common::message_starts_with(p, "late loser's value"));
    let (won, errors) = errors_logged_by(taskgroup::race_all([
        Box::pin(async { Ok::<_, ()>(Value::Plain(1)) })
            as futures::future::BoxFuture<'static, Result<Value, ()>>,
        Box::pin(async { Ok(Value::Bomb) }),
    ]))
    .await;
    assert_eq!(won, Ok(Value::Plain(1)));
    assert_one_line_ending(
        &errors,
        "attempt `task-1` of a won race panicked: late loser's value",
    );
}

/// The same with `race!(local)`: the attempts run in place.
#[tokio::test(start_paused = true)]
async fn a_losers_panic_in_a_won_local_race_is_logged() {
    common::quiet_panics(|p| common::message_starts_with(p, "loser"));
    let (won, errors) = errors_logged_by(async {
        taskgroup::race!(local;
            async {
                tokio::time::sleep(Duration::from_millis(10)).await;
                Ok::<u32, ()>(1)
            },
            async {
                if true {
                    panic!("loser");
                }
                Ok(0)
            },
        )
        .await
    })
    .await;
    assert_eq!(won, Ok(1));
    assert_one_line_ending(&errors, "attempt `task-1` of a won race panicked: loser");
}
