//! Every duration option takes any `Duration`: one too long for the clock
//! means "never", and nothing panics or overflows.

use std::time::Duration;

use taskgroup::{Builder, ErrorGroup, gather};

/// With a grace period of `Duration::MAX`, a failure cancels the token and
/// the children that honour it end; computing when the grace period ends
/// once overflowed `Instant + grace` and panicked inside the failing child.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_grace_period_of_duration_max_never_aborts_and_never_panics() {
    let err = Builder::new()
        .grace_period(Duration::MAX)
        .scope(|tg| async move {
            let token = tg.token();
            let polite = tg.spawn_named("polite", async move {
                token.cancelled().await;
                Ok::<_, &str>("flushed")
            })?;
            tg.spawn_named("broken", async { Err::<(), _>("eof") })?;
            assert_eq!(polite.await?, "flushed");
            Ok(())
        })
        .await
        .unwrap_err();
    assert_eq!(err.len(), 1);
    assert_eq!(err.first().name(), "broken");
}

/// `cancel()` with a grace period of `Duration::MAX`, from the body.
#[tokio::test]
async fn cancel_with_a_grace_period_of_duration_max_does_not_panic() {
    let value = Builder::new()
        .grace_period(Duration::MAX)
        .scope(|tg| async move {
            let token = tg.token();
            let child = tg.spawn(async move {
                token.cancelled().await;
                Ok::<_, ()>(7)
            })?;
            tg.cancel();
            Ok(child)
        })
        .await
        .unwrap();
    assert_eq!(value.await.unwrap(), 7);
}

#[tokio::test]
async fn a_timeout_and_a_slow_poll_threshold_of_duration_max_never_fire() {
    let values = Builder::new()
        .timeout(Duration::MAX)
        .slow_poll(Some(Duration::MAX))
        .gather_all((0..3).map(|i| async move { Ok::<_, ()>(i) }))
        .await
        .unwrap();
    assert_eq!(values, [0, 1, 2]);
    let total = Builder::new()
        .timeout(Duration::MAX)
        .grace_period(Duration::MAX)
        .scope(|tg| async move { Ok::<_, ErrorGroup<()>>(tg.spawn(async { Ok(5) })?.await?) })
        .await
        .unwrap();
    assert_eq!(total, 5);
}

#[tokio::test]
async fn gather_with_a_timeout_of_duration_max_never_fires() {
    let (a, b) = gather!(timeout = Duration::MAX; async { Ok::<_, ()>(1) }, async { Ok(2) })
        .await
        .unwrap();
    assert_eq!((a, b), (1, 2));
    let (a, b) = gather!(local, timeout = Duration::MAX; async { Ok::<_, ()>(1) }, async { Ok(2) })
        .await
        .unwrap();
    assert_eq!((a, b), (1, 2));
}
