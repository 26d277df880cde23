//! `Builder::timeout`: at the deadline everything still running is
//! cancelled and the error holds one `deadline` member; a deadline not
//! reached is no error; a settled gather keeps what finished in time.

use std::time::Duration;

use taskgroup::{Builder, ErrorGroup, TaskError};
use tokio::time::{Instant, sleep};

mod common;
use common::{Count, Drops, names};

type Eg = ErrorGroup<&'static str>;

#[tokio::test(start_paused = true)]
async fn builder_timeout_cancels_everything_with_a_deadline_member() {
    let dropped = Drops::default();
    let completed = Count::default();
    let start = Instant::now();
    let (d, c) = (dropped.clone(), completed.clone());
    let err = Builder::new()
        .timeout(Duration::from_secs(5))
        .scope(move |tg| async move {
            let (guard, c2) = (d.guard(), c.clone());
            tg.spawn_named("slow", async move {
                let _guard = guard;
                sleep(Duration::from_secs(60)).await;
                c2.bump();
                Ok::<_, &str>(())
            })?;
            let _guard = d.guard();
            sleep(Duration::from_secs(60)).await;
            c.bump();
            Ok::<_, Eg>(())
        })
        .await
        .unwrap_err();
    assert_eq!(start.elapsed(), Duration::from_secs(5));
    assert_eq!(names(&err), ["deadline"]);
    assert!(matches!(err.first().error(), TaskError::TimedOut(d) if *d == Duration::from_secs(5)));
    assert_eq!(dropped.count(), 2, "child and body cancelled");
    assert_eq!(completed.get(), 0);
}

#[tokio::test(start_paused = true)]
async fn builder_timeout_not_reached_is_no_error() {
    let value = Builder::new()
        .timeout(Duration::from_secs(5))
        .gather_all([async {
            sleep(Duration::from_secs(4)).await;
            Ok::<_, &str>(1)
        }])
        .await
        .unwrap();
    assert_eq!(value, [1]);
}

#[tokio::test(start_paused = true)]
async fn builder_gather_settled_timeout_keeps_finished_results() {
    let start = Instant::now();
    let results = Builder::new()
        .timeout(Duration::from_secs(5))
        .gather_settled((1..=3u64).map(|i| async move {
            // 1s and 3s finish within the deadline; 60s does not.
            sleep(Duration::from_secs([1, 3, 60][i as usize - 1])).await;
            if i == 2 { Err("two failed") } else { Ok(i) }
        }))
        .await;
    assert_eq!(start.elapsed(), Duration::from_secs(5));
    assert!(matches!(results[0], Ok(1)), "{results:?}");
    assert!(
        matches!(results[1], Err(TaskError::Failed("two failed"))),
        "{results:?}"
    );
    assert!(
        matches!(results[2], Err(TaskError::TimedOut(d)) if d == Duration::from_secs(5)),
        "{results:?}"
    );
}
