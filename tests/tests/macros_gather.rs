//! Behaviour of `gather!`: order, fail-fast cancellation, settled, limit,
//! timeout, local mode, arities 1 and 64, and hygiene.
//!
//! Synchronisation uses oneshot channels, `Notify` and tokio's paused clock,
//! never sleeps as a way to order events.

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use taskgroup::{ErrorGroup, TaskError, gather};
use tokio::sync::{Notify, oneshot};

mod common;
use common::{Drops, HighWater, members, yield_times};

/// A child that takes `polls` polls, counted by `high_water`.
async fn run(high_water: &HighWater, polls: usize) -> Result<(), std::io::Error> {
    high_water.track(yield_times(polls)).await;
    Ok(())
}

#[tokio::test]
async fn results_come_in_input_order_when_children_finish_in_reverse() {
    // Child 2 finishes first and releases child 1, which releases child 0.
    let (tx1, rx1) = oneshot::channel::<()>();
    let (tx0, rx0) = oneshot::channel::<()>();
    let finished = Arc::new(std::sync::Mutex::new(Vec::new()));
    let (f0, f1, f2) = (finished.clone(), finished.clone(), finished.clone());
    let (a, b, c) = gather!(
        async move {
            rx0.await.unwrap();
            f0.lock().unwrap().push(0);
            Ok::<_, std::io::Error>(0u8)
        },
        async move {
            rx1.await.unwrap();
            f1.lock().unwrap().push(1);
            tx0.send(()).unwrap();
            Ok("one")
        },
        async move {
            f2.lock().unwrap().push(2);
            tx1.send(()).unwrap();
            Ok(2.5f64)
        },
    )
    .await
    .unwrap();
    assert_eq!((a, b, c), (0, "one", 2.5));
    assert_eq!(*finished.lock().unwrap(), [2, 1, 0]);
}

#[tokio::test]
async fn arguments_are_evaluated_in_order_where_written_and_run_when_awaited() {
    let log = Arc::new(std::sync::Mutex::new(Vec::new()));
    let make = |n: u32| {
        log.lock().unwrap().push(format!("made {n}"));
        let log = log.clone();
        async move {
            log.lock().unwrap().push(format!("ran {n}"));
            Ok::<_, ()>(n)
        }
    };
    let future = gather!(make(1), make(2));
    assert_eq!(*log.lock().unwrap(), ["made 1", "made 2"]);
    assert_eq!(future.await.unwrap(), (1, 2));
    assert_eq!(log.lock().unwrap().len(), 4);
}

#[tokio::test]
async fn first_failure_cancels_the_siblings_and_their_drop_guards_run() {
    let drops = Drops::default();
    let started = Arc::new(Notify::new());
    let guard = drops.guard();
    let (started_tx, started_rx) = (started.clone(), started.clone());
    let err = gather!(
        async move {
            let _guard = guard;
            started_tx.notify_one();
            std::future::pending::<()>().await;
            Ok::<_, &str>(())
        },
        async move {
            started_rx.notified().await;
            Err::<(), _>("boom")
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.len(), 1);
    assert_eq!(err.first().name(), "task-1");
    assert!(matches!(err.first().error(), TaskError::Failed("boom")));
    assert_eq!(drops.count(), 1, "the cancelled sibling was dropped");
}

#[tokio::test]
async fn a_panic_is_a_failure_named_by_position() {
    let err = gather!(async { Ok::<_, ()>(1) }, async {
        if true {
            panic!("bug in child");
        }
        Ok(2)
    })
    .await
    .unwrap_err();
    assert_eq!(err.first().name(), "task-1");
    assert!(matches!(err.first().error(), TaskError::Panicked(m) if m == "bug in child"));
}

#[tokio::test]
async fn settled_keeps_every_outcome_and_cancels_nothing() {
    // The slow child is released only after the failing one has failed: it
    // must still run to completion.
    let (failed_tx, failed_rx) = oneshot::channel::<()>();
    let (ok, failed, panicked) = gather!(settled;
        async move {
            failed_rx.await.unwrap();
            Ok::<_, std::io::Error>("slow but fine")
        },
        async move {
            failed_tx.send(()).unwrap();
            Err::<u8, _>("refused") // another error type: settled allows it
        },
        async {
            if true {
                panic!("oops");
            }
            Ok::<(), ()>(())
        },
    )
    .await;
    assert_eq!(ok.unwrap(), "slow but fine");
    assert!(matches!(failed, Err(TaskError::Failed("refused"))));
    assert!(matches!(panicked, Err(TaskError::Panicked(m)) if m == "oops"));
}

#[tokio::test]
async fn limit_never_runs_more_than_n_children_at_once() {
    // Each child yields 50 times, so on this single-threaded runtime the
    // first admitted children all start before any ends: the mark reaches
    // the limit exactly when the limit holds.
    let hw = HighWater::default();
    let (h0, h1, h2, h3, h4, h5, h6, h7) = (
        hw.clone(),
        hw.clone(),
        hw.clone(),
        hw.clone(),
        hw.clone(),
        hw.clone(),
        hw.clone(),
        hw.clone(),
    );
    gather!(limit = 3;
        async move { run(&h0, 50).await },
        async move { run(&h1, 50).await },
        async move { run(&h2, 50).await },
        async move { run(&h3, 50).await },
        async move { run(&h4, 50).await },
        async move { run(&h5, 50).await },
        async move { run(&h6, 50).await },
        async move { run(&h7, 50).await },
    )
    .await
    .unwrap();
    assert_eq!(hw.max(), 3, "high-water mark");
}

#[tokio::test(start_paused = true)]
async fn timeout_fails_the_whole_gather_with_a_deadline_member() {
    let drops = Drops::default();
    let guard = drops.guard();
    let started = tokio::time::Instant::now();
    let err: ErrorGroup<std::io::Error> = gather!(timeout = Duration::from_secs(5);
        async { Ok(1) },
        async move {
            let _guard = guard;
            tokio::time::sleep(Duration::from_secs(60)).await;
            Ok(2)
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.len(), 1);
    assert_eq!(err.first().name(), "deadline");
    assert!(matches!(err.first().error(), TaskError::TimedOut(d) if *d == Duration::from_secs(5)));
    assert_eq!(started.elapsed(), Duration::from_secs(5));
    assert_eq!(drops.count(), 1);
}

#[tokio::test(start_paused = true)]
async fn settled_timeout_keeps_finished_results_and_times_out_the_rest() {
    let (fast, slow) = gather!(settled, timeout = Duration::from_secs(5);
        async { Ok::<_, ()>("fast") },
        async {
            tokio::time::sleep(Duration::from_secs(60)).await;
            Ok::<_, ()>("slow")
        },
    )
    .await;
    assert_eq!(fast.unwrap(), "fast");
    assert!(matches!(slow, Err(TaskError::TimedOut(d)) if d == Duration::from_secs(5)));
}

#[tokio::test]
async fn local_arguments_borrow_locals_and_need_not_be_send() {
    let config = String::from("retries=3");
    let mut log = Vec::new();
    let shared = Rc::new(RefCell::new(0)); // not Send
    let (len, (), n) = gather!(local;
        async { Ok::<_, std::io::Error>(config.len()) },
        async {
            log.push("ran");
            Ok(())
        },
        async {
            *shared.borrow_mut() += 1;
            Ok(*shared.borrow())
        },
    )
    .await
    .unwrap();
    assert_eq!((len, n), (9, 1));
    assert_eq!(log, ["ran"]);
}

#[tokio::test]
async fn local_first_failure_drops_the_siblings() {
    let drops = Drops::default();
    let guard = drops.guard();
    let notify = Notify::new();
    let err = gather!(local;
        async {
            let _guard = guard;
            notify.notify_one();
            std::future::pending::<()>().await;
            Ok::<_, String>(())
        },
        async {
            notify.notified().await;
            Err::<(), _>("bad input".to_string())
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.first().name(), "task-1");
    assert_eq!(err.errors().collect::<Vec<_>>(), [&"bad input".to_string()]);
    assert_eq!(drops.count(), 1);
}

#[tokio::test]
async fn local_panic_is_captured_as_panicked() {
    let err = gather!(local; async {
        if true {
            panic!("local bug");
        }
        Ok::<(), ()>(())
    })
    .await
    .unwrap_err();
    assert_eq!(err.first().name(), "task-0");
    assert!(matches!(err.first().error(), TaskError::Panicked(m) if m == "local bug"));
}

#[tokio::test]
async fn local_limit_polls_at_most_n_arguments_at_once_in_order() {
    let hw = HighWater::default();
    let order = RefCell::new(Vec::new());
    let step = |i: usize| {
        let hw = &hw;
        let order = &order;
        async move {
            order.borrow_mut().push(i);
            run(hw, 5).await
        }
    };
    gather!(local, limit = 2; step(0), step(1), step(2), step(3), step(4), step(5))
        .await
        .unwrap();
    assert_eq!(hw.max(), 2);
    assert_eq!(*order.borrow(), [0, 1, 2, 3, 4, 5]);
}

#[tokio::test(start_paused = true)]
async fn local_timeout_fails_with_a_deadline_member() {
    let err = gather!(local, timeout = Duration::from_millis(1500);
        async { Ok::<_, ()>(()) },
        async {
            tokio::time::sleep(Duration::from_secs(10)).await;
            Ok(())
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.first().name(), "deadline");
    assert!(matches!(err.first().error(), TaskError::TimedOut(_)));
}

#[tokio::test(start_paused = true)]
async fn local_settled_with_timeout() {
    let (done, failed, late) = gather!(local, settled, timeout = Duration::from_secs(1);
        async { Ok::<_, ()>(1) },
        async { Err::<(), _>("no") },
        async {
            tokio::time::sleep(Duration::from_secs(2)).await;
            Ok::<_, ()>(3)
        },
    )
    .await;
    assert_eq!(done.unwrap(), 1);
    assert!(matches!(failed, Err(TaskError::Failed("no"))));
    assert!(matches!(late, Err(TaskError::TimedOut(_))));
}

#[tokio::test]
async fn one_argument_gives_a_one_tuple() {
    let (only,) = gather!(async { Ok::<_, ()>(7) }).await.unwrap();
    assert_eq!(only, 7);
    let (only,) = gather!(local; async { Ok::<_, ()>(8) }).await.unwrap();
    assert_eq!(only, 8);
    let (only,) = gather!(settled; async { Ok::<_, ()>(9) }).await;
    assert_eq!(only.unwrap(), 9);
}

/// `gather!` with 64 arguments `f(0)..f(63)`, as a tuple of 64 values.
macro_rules! gather_64 {
    ($($opt:tt)*) => {
        gather!($($opt)*
            f(0), f(1), f(2), f(3), f(4), f(5), f(6), f(7), f(8), f(9), f(10), f(11), f(12), f(13),
            f(14), f(15), f(16), f(17), f(18), f(19), f(20), f(21), f(22), f(23), f(24), f(25),
            f(26), f(27), f(28), f(29), f(30), f(31), f(32), f(33), f(34), f(35), f(36), f(37),
            f(38), f(39), f(40), f(41), f(42), f(43), f(44), f(45), f(46), f(47), f(48), f(49),
            f(50), f(51), f(52), f(53), f(54), f(55), f(56), f(57), f(58), f(59), f(60), f(61),
            f(62), f(63),
        )
    };
}

async fn f(i: u64) -> Result<u64, ()> {
    tokio::task::yield_now().await;
    Ok(i)
}

#[tokio::test]
async fn sixty_four_arguments_work_spawned_and_local() {
    let all = gather_64!().await.unwrap();
    assert_eq!((all.0, all.31, all.63), (0, 31, 63));
    let all = gather_64!(local;).await.unwrap();
    assert_eq!((all.0, all.31, all.63), (0, 31, 63));
    let all = gather_64!(settled, limit = 8;).await;
    assert_eq!(all.63.unwrap(), 63);
}

#[tokio::test]
#[allow(clippy::let_and_return)]
async fn user_variables_named_like_internals_are_untouched() {
    let tg = 1u8;
    let scope = 2u8;
    let taskgroup = 3u8;
    let __gather_0 = 4u8;
    let __gather_errors = 5u8;
    let __gather_local = 6u8;
    let handle = 7u8;
    let values = gather!(
        async move { Ok::<_, ()>(tg + scope) },
        async move { Ok(taskgroup + __gather_0) },
        async move { Ok(__gather_errors + __gather_local + handle) },
    )
    .await
    .unwrap();
    assert_eq!(values, (3, 7, 18));
    let values = gather!(local, limit = 1;
        async { Ok::<_, ()>(__gather_0 + __gather_local) },
        async { Ok(handle) },
    )
    .await
    .unwrap();
    assert_eq!(values, (10, 7));
    let (a,) = gather!(settled; async move { Ok::<_, ()>(__gather_0) }).await;
    assert_eq!(a.unwrap(), 4);
}

#[tokio::test]
async fn crate_option_names_a_renamed_dependency() {
    use taskgroup as renamed;
    let (a,) = gather!(crate = renamed; async { Ok::<_, ()>(1) })
        .await
        .unwrap();
    assert_eq!(a, 1);
}

#[tokio::test]
async fn gather_composes_with_question_mark_in_a_scope() {
    let total = taskgroup::scope(|_tg| async move {
        let (a, b) = gather!(async { Ok::<_, std::io::Error>(1) }, async { Ok(2) }).await?;
        let (c,) = gather!(local; async { Ok::<_, std::io::Error>(3) }).await?;
        Ok::<_, ErrorGroup<std::io::Error>>(a + b + c)
    })
    .await
    .unwrap();
    assert_eq!(total, 6);
}

#[derive(Clone)]
struct Api {
    base: u32,
}

impl Api {
    fn get(&self, id: u32) -> impl Future<Output = Result<u32, String>> + Send + 'static {
        let base = self.base;
        async move { Ok(base + id) }
    }

    async fn get_ref(&self, id: u32) -> Result<u32, String> {
        Ok(self.base * id)
    }
}

async fn plain_call(id: u32) -> Result<u32, String> {
    Ok(id)
}

#[tokio::test]
async fn arguments_may_be_calls_method_calls_and_async_blocks() {
    let api = Api { base: 100 };
    let values = gather!(api.get(1), plain_call(2), async { Ok(3) })
        .await
        .unwrap();
    assert_eq!(values, (101, 2, 3));
    // `local` takes futures that borrow their receiver.
    let values = gather!(local; api.get_ref(2), api.get_ref(3))
        .await
        .unwrap();
    assert_eq!(values, (200, 300));
}

#[tokio::test]
async fn an_empty_option_list_lets_a_variable_be_named_like_a_flag() {
    let local = async { Ok::<_, ()>("local") };
    let settled = async { Ok::<_, ()>("settled") };
    let values = gather!(; local, settled).await.unwrap();
    assert_eq!(values, ("local", "settled"));
}

#[tokio::test]
async fn local_future_is_send_when_its_arguments_are() {
    let joined = tokio::spawn(async {
        let config = String::from("retries=3");
        gather!(local;
            async { Ok::<_, ()>(config.len()) },
            async {
                tokio::task::yield_now().await;
                Ok(config.starts_with("retries"))
            },
        )
        .await
    })
    .await
    .unwrap();
    assert_eq!(joined.unwrap(), (9, true));
}

/// Panics when dropped: a child whose cleanup fails while it is aborted.
struct PanicOnDrop;

impl Drop for PanicOnDrop {
    fn drop(&mut self) {
        panic!("cleanup failed");
    }
}

#[tokio::test]
async fn a_sibling_failing_while_aborted_is_reported_after_the_first() {
    let (started_tx, started_rx) = oneshot::channel();
    let err = gather!(
        async move {
            let _cleanup = PanicOnDrop;
            started_tx.send(()).ok();
            std::future::pending::<()>().await;
            Ok::<_, &str>(())
        },
        async move {
            started_rx.await.ok();
            Err::<(), _>("boom")
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.len(), 2);
    let mut members = err.iter();
    let first = members.next().unwrap();
    assert_eq!(first.name(), "task-1");
    assert!(matches!(first.error(), TaskError::Failed("boom")));
    let second = members.next().unwrap();
    assert_eq!(second.name(), "task-0");
    assert!(matches!(second.error(), TaskError::Panicked(m) if m == "cleanup failed"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn grandchildren_of_an_aborted_child_end_before_the_gather_returns() {
    for _ in 0..50 {
        let drops = Drops::default();
        let guard = drops.guard();
        let (started_tx, started_rx) = oneshot::channel();
        let err = gather!(
            taskgroup::scope(|tg| async move {
                tg.spawn(async move {
                    let _guard = guard;
                    started_tx.send(()).ok();
                    std::future::pending::<()>().await;
                    Ok::<_, &str>(())
                })?;
                Ok(())
            }),
            async move {
                started_rx.await.ok();
                Err::<(), _>(ErrorGroup::from_task_error("db", TaskError::Failed("down")))
            },
        )
        .await
        .unwrap_err();
        assert_eq!(err.first().name(), "task-1");
        assert_eq!(
            drops.count(),
            1,
            "the grandchild was dropped before the gather returned"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_gather_inside_a_group_is_waited_for_by_the_group() {
    for _ in 0..50 {
        let drops = Drops::default();
        let guard = drops.guard();
        let (started_tx, started_rx) = oneshot::channel();
        taskgroup::scope(|tg| async move {
            tg.spawn(async move {
                let gathered = gather!(async move {
                    let _guard = guard;
                    started_tx.send(()).ok();
                    std::future::pending::<()>().await;
                    Ok::<_, ()>(())
                });
                tokio::select! {
                    _ = gathered => unreachable!("the argument never finishes"),
                    _ = started_rx => {}
                }
                Ok::<_, ()>(())
            })?;
            Ok(())
        })
        .await
        .unwrap();
        assert_eq!(
            drops.count(),
            1,
            "the gather's child was dropped before the scope returned"
        );
    }
}

/// The gather wakes on a signal the last child sends before tokio stores its
/// output: the handle may still be pending then, and must wake the gather
/// again. Many rounds on two workers; a lost wake-up hangs a round, and a
/// watchdog thread then fails the whole test binary rather than letting it hang.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
// Blocks on purpose: what the test is about.
#[taskgroup::allow_blocking]
async fn a_child_signalling_before_its_output_is_stored_is_not_lost() {
    let (done, watched) = std::sync::mpsc::channel::<()>();
    let watchdog = std::thread::spawn(move || {
        if watched.recv_timeout(Duration::from_secs(60)).is_err() {
            eprintln!("a gather never woke up after its children ended");
            std::process::exit(101);
        }
    });
    for round in 0..5_000u64 {
        let values = gather!(
            async move { Ok::<_, ()>(round) },
            async move { Ok(round + 1) },
            async move {
                tokio::task::yield_now().await;
                Ok(round + 2)
            },
        )
        .await
        .unwrap();
        assert_eq!(values, (round, round + 1, round + 2));
        let failed = gather!(
            async { Ok::<_, u64>(()) },
            async move { Err::<(), _>(round) }
        )
        .await
        .unwrap_err();
        assert!(matches!(failed.first().error(), TaskError::Failed(r) if *r == round));
    }
    done.send(()).unwrap();
    watchdog.join().unwrap();
}

#[tokio::test]
async fn local_argument_panicking_in_its_destructor_is_panicked() {
    let err = gather!(local;
        async { Ok::<_, ()>(1) },
        async {
            let _cleanup = PanicOnDrop;
            Ok(2)
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.first().name(), "task-1");
    assert!(matches!(err.first().error(), TaskError::Panicked(m) if m == "cleanup failed"));
}

#[tokio::test]
async fn local_panic_in_the_second_of_three_drops_the_others_and_names_it() {
    let drops = Drops::default();
    let (value_guard, pending_guard) = (drops.guard(), drops.guard());
    let third_polled = Notify::new();
    let Err(err) = gather!(local;
        async { Ok::<_, ()>(value_guard) },
        async {
            third_polled.notified().await;
            if true {
                panic!("second bug");
            }
            Ok(drops.guard())
        },
        async {
            let _guard = pending_guard;
            third_polled.notify_one();
            std::future::pending::<()>().await;
            Ok(drops.guard())
        },
    )
    .await
    else {
        panic!("the second argument panicked")
    };
    assert_eq!(
        members(&err),
        [("task-1".to_string(), "Panicked(\"second bug\")".to_string())]
    );
    // The first argument's finished value and the pending third: both dropped.
    assert_eq!(drops.count(), 2);
}

#[tokio::test]
async fn local_err_in_the_first_drops_the_pending_others() {
    let drops = Drops::default();
    let (g1, g2) = (drops.guard(), drops.guard());
    let others_polled = Notify::new();
    let err = gather!(local;
        async {
            others_polled.notified().await;
            Err::<u8, _>("first failed")
        },
        async {
            let _guard = g1;
            std::future::pending::<()>().await;
            Ok(1)
        },
        async {
            let _guard = g2;
            others_polled.notify_one();
            std::future::pending::<()>().await;
            Ok(2)
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        members(&err),
        [("task-0".to_string(), "Failed(\"first failed\")".to_string())]
    );
    assert_eq!(drops.count(), 2);
}

#[tokio::test]
async fn local_sibling_panicking_when_cancelled_is_a_member_after_the_failure() {
    let err = gather!(local;
        async {
            let _cleanup = PanicOnDrop;
            std::future::pending::<()>().await;
            Ok::<u8, _>(0)
        },
        async { Err::<u8, _>("bad input") },
    )
    .await
    .unwrap_err();
    assert_eq!(
        members(&err),
        [
            ("task-1".to_string(), "Failed(\"bad input\")".to_string()),
            (
                "task-0".to_string(),
                "Panicked(\"cleanup failed\")".to_string()
            ),
        ]
    );
}

#[tokio::test]
async fn local_destructor_panicking_after_an_err_replaces_the_err() {
    let err = gather!(local;
        async { Ok::<_, &str>(1) },
        async {
            let _cleanup = PanicOnDrop;
            Err::<u8, _>("bad input")
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        members(&err),
        [(
            "task-1".to_string(),
            "Panicked(\"cleanup failed\")".to_string()
        )]
    );
}

#[tokio::test]
async fn local_twenty_arguments_give_every_value_in_order() {
    // Each argument yields `i % 4` times, so they finish out of order.
    async fn value(i: u64) -> Result<u64, ()> {
        common::yield_times((i % 4) as usize).await;
        Ok(i * 1_000 + 7)
    }
    let (v0, v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11, v12, v13, v14, v15, v16, v17, v18, v19) = gather!(local;
        value(0), value(1), value(2), value(3), value(4), value(5), value(6), value(7), value(8),
        value(9), value(10), value(11), value(12), value(13), value(14), value(15), value(16),
        value(17), value(18), value(19),
    )
    .await
    .unwrap();
    let values = [
        v0, v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11, v12, v13, v14, v15, v16, v17, v18, v19,
    ];
    let expected: Vec<u64> = (0..20).map(|i| i * 1_000 + 7).collect();
    assert_eq!(values.to_vec(), expected);
}
