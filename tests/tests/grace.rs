//! `Builder::grace_period`: when a group ends early, children first see its
//! token cancelled and get the grace period to finish, then are aborted,
//! whether the end came from a failure or from `cancel()`.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::time::Duration;

use taskgroup::{Builder, ErrorGroup};
use tokio::time::{Instant, sleep};

mod common;
use common::{Count, Drops, names};

type Eg = ErrorGroup<&'static str>;

/// One child flushes on the token within the grace period; one ignores the
/// token and is aborted when the grace period ends.
#[tokio::test(start_paused = true)]
async fn builder_grace_period_lets_token_watchers_flush_then_aborts() {
    let flushed = Arc::new(AtomicBool::new(false));
    let dropped = Drops::default();
    let stubborn_finished = Arc::new(AtomicBool::new(false));
    let start = Instant::now();
    let (f, d, s) = (
        Arc::clone(&flushed),
        dropped.clone(),
        Arc::clone(&stubborn_finished),
    );
    let err = Builder::new()
        .grace_period(Duration::from_secs(2))
        .scope(move |tg| async move {
            let token = tg.token();
            tg.spawn_named("flusher", async move {
                token.cancelled().await;
                sleep(Duration::from_secs(1)).await; // flushing
                f.store(true, SeqCst);
                Ok(())
            })?;
            let guard = d.guard();
            tg.spawn_named("stubborn", async move {
                let _guard = guard;
                sleep(Duration::from_secs(3600)).await;
                s.store(true, SeqCst);
                Ok(())
            })?;
            tg.spawn_named("bad", async {
                sleep(Duration::from_secs(1)).await;
                Err::<(), _>("bad failed")
            })?;
            Ok::<_, Eg>(())
        })
        .await
        .unwrap_err();
    assert_eq!(names(&err), ["bad"]);
    assert!(
        flushed.load(SeqCst),
        "the flusher finished within the grace period"
    );
    assert_eq!(dropped.count(), 1);
    assert!(
        !stubborn_finished.load(SeqCst),
        "the stubborn child was aborted"
    );
    assert_eq!(
        start.elapsed(),
        Duration::from_secs(3),
        "failure at 1s + 2s grace"
    );
}

/// The same without a flusher: nothing but the grace timer can end the
/// stubborn child, and the body has already returned.
#[tokio::test(start_paused = true)]
async fn builder_grace_period_ends_even_when_no_child_reacts() {
    let stubborn_finished = Arc::new(AtomicBool::new(false));
    let start = Instant::now();
    let s = Arc::clone(&stubborn_finished);
    let err = Builder::new()
        .grace_period(Duration::from_secs(2))
        .scope(move |tg| async move {
            tg.spawn_named("stubborn", async move {
                sleep(Duration::from_secs(3600)).await;
                s.store(true, SeqCst);
                Ok(())
            })?;
            tg.spawn_named("bad", async {
                sleep(Duration::from_secs(1)).await;
                Err::<(), _>("bad failed")
            })?;
            Ok::<_, Eg>(())
        })
        .await
        .unwrap_err();
    assert_eq!(names(&err), ["bad"]);
    assert!(
        !stubborn_finished.load(SeqCst),
        "aborted at the end of the grace period"
    );
    assert_eq!(start.elapsed(), Duration::from_secs(3));
}

/// `cancel()` called by a child that then keeps running: the grace period
/// still ends it.
#[tokio::test(start_paused = true)]
async fn builder_grace_period_after_cancel_from_a_child() {
    let finished = Count::default();
    let start = Instant::now();
    let f = finished.clone();
    let value = Builder::new()
        .grace_period(Duration::from_secs(2))
        .scope(move |tg| async move {
            let group = tg.clone();
            let f2 = f.clone();
            tg.spawn_named("canceller", async move {
                sleep(Duration::from_secs(1)).await;
                group.cancel();
                sleep(Duration::from_secs(3600)).await;
                f2.bump();
                Ok::<_, &str>(())
            })?;
            tg.spawn_named("idle", async move {
                sleep(Duration::from_secs(3600)).await;
                f.bump();
                Ok(())
            })?;
            Ok::<_, Eg>("done")
        })
        .await
        .unwrap();
    assert_eq!(value, "done");
    assert_eq!(finished.get(), 0);
    assert_eq!(
        start.elapsed(),
        Duration::from_secs(3),
        "cancel at 1s + 2s grace"
    );
}

#[tokio::test(start_paused = true)]
async fn cancel_from_a_child_aborts_token_ignorers_after_the_grace_period() {
    let started = tokio::time::Instant::now();
    let (dropped_tx, dropped_rx) = tokio::sync::oneshot::channel::<()>();
    let group = Builder::new()
        .grace_period(Duration::from_secs(2))
        .scope(|tg| async move {
            let canceller = tg.clone();
            // Cancels, then ignores the token: no child completion wakes the
            // scope, so only `cancel()` itself can start the grace timer.
            tg.spawn(async move {
                canceller.cancel();
                std::future::pending::<()>().await;
                Ok::<_, ()>(())
            })?;
            tg.spawn(async move {
                let _sender_dropped_on_abort = dropped_tx;
                std::future::pending::<()>().await;
                Ok(())
            })?;
            Ok("body value")
        });
    let value = tokio::time::timeout(Duration::from_secs(60), group)
        .await
        .expect("the grace period ended the group")
        .unwrap();
    assert_eq!(value, "body value");
    // The child's future, and the sender it owned, were dropped by the abort.
    dropped_rx.await.unwrap_err();
    assert_eq!(started.elapsed(), Duration::from_secs(2));
}
