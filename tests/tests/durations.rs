//! Every duration option takes any `Duration`: one too long for the clock
//! means "never", and nothing panics or overflows.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use taskgroup::{Builder, ErrorGroup, gather};

/// How many panics this test binary has seen, on any thread. tokio catches a
/// panic inside a task it runs, so an overflow in a child's task leaves no
/// trace in the scope's result: only a hook sees it. No test here panics on
/// purpose, so any count above the one taken before a test is a defect.
fn panics_so_far() -> usize {
    static PANICS: AtomicUsize = AtomicUsize::new(0);
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICS.fetch_add(1, Ordering::SeqCst);
            default(info);
        }));
    });
    PANICS.load(Ordering::SeqCst)
}

/// With a grace period of `Duration::MAX`, a failure cancels the token and
/// the children that honour it end; computing when the grace period ends
/// once overflowed `Instant + grace` and panicked inside the failing child.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_grace_period_of_duration_max_never_aborts_and_never_panics() {
    let panics_before = panics_so_far();
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
    assert_eq!(
        panics_so_far(),
        panics_before,
        "a panic while the scope ran (on b02741b: 'overflow when adding duration to instant' in the failing child's task)"
    );
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
