//! `gather_all` and `gather_settled` return every value, in input order,
//! whatever the runtime and however many children cross tokio's
//! cooperative budget (128 polls per task turn).

use taskgroup::{TaskError, gather_all, gather_settled};

/// Enough children that one pass of the gather over their handles runs out
/// of tokio's budget (128), so the pass is cut and resumed.
const PAST_BUDGET: u32 = 200;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gather_all_keeps_every_value_past_the_coop_budget() {
    let expected: Vec<u32> = (0..PAST_BUDGET).collect();
    for _ in 0..500 {
        let values = gather_all((0..PAST_BUDGET).map(|i| async move { Ok::<_, ()>(i) }))
            .await
            .unwrap();
        assert_eq!(values, expected);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gather_settled_reports_every_success_past_the_coop_budget() {
    for _ in 0..500 {
        let outcomes =
            gather_settled((0..PAST_BUDGET).map(|i| async move { Ok::<_, ()>(i) })).await;
        let wrong: Vec<_> = outcomes
            .iter()
            .enumerate()
            .filter(|&(i, outcome)| !matches!(outcome, Ok(v) if *v == i as u32))
            .collect();
        assert!(wrong.is_empty(), "outcomes not Ok(index): {wrong:?}");
        assert_eq!(outcomes.len(), PAST_BUDGET as usize);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn gather_settled_keeps_failures_in_place_past_the_coop_budget() {
    for _ in 0..200 {
        let outcomes = gather_settled((0..PAST_BUDGET).map(|i| async move {
            tokio::task::yield_now().await;
            if i % 7 == 3 { Err(i) } else { Ok(i) }
        }))
        .await;
        assert_eq!(outcomes.len(), PAST_BUDGET as usize);
        for (i, outcome) in outcomes.into_iter().enumerate() {
            let i = i as u32;
            match outcome {
                Ok(v) => assert!(i % 7 != 3 && v == i, "task-{i}: Ok({v})"),
                Err(TaskError::Failed(e)) => assert!(i % 7 == 3 && e == i, "task-{i}: Err({e})"),
                Err(other) => panic!("task-{i}: {other:?}"),
            }
        }
    }
}

/// At the deadline, arguments that finished keep their outcome, however many
/// there are: looking at their handles must not run out of tokio's budget.
#[tokio::test(start_paused = true)]
async fn gather_settled_deadline_keeps_every_finished_value() {
    let outcomes = taskgroup::Builder::new()
        .timeout(std::time::Duration::from_secs(3600))
        .gather_settled((0..PAST_BUDGET).map(|i| async move {
            if i == 0 {
                std::future::pending::<()>().await;
            }
            Ok::<_, ()>(i)
        }))
        .await;
    assert_eq!(outcomes.len(), PAST_BUDGET as usize);
    for (i, outcome) in outcomes.into_iter().enumerate() {
        match (i, outcome) {
            (0, Err(TaskError::TimedOut(_))) => {}
            (i, Ok(v)) if i > 0 && v == i as u32 => {}
            (i, other) => panic!("task-{i}: {other:?}"),
        }
    }
}

/// A grace period has nothing to act on in a gather (its futures cannot see
/// a token): setting it is refused at the call, not silently ignored.
#[test]
#[should_panic(expected = "`grace_period` does not apply")]
fn gather_all_refuses_a_grace_period() {
    drop(
        taskgroup::Builder::new()
            .grace_period(std::time::Duration::from_secs(1))
            .gather_all([async { Ok::<_, ()>(()) }]),
    );
}

#[test]
#[should_panic(expected = "`grace_period` does not apply")]
fn gather_settled_refuses_a_grace_period() {
    drop(
        taskgroup::Builder::new()
            .grace_period(std::time::Duration::from_secs(1))
            .gather_settled([async { Ok::<_, ()>(()) }]),
    );
}
