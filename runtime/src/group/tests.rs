use super::scope::scope;
use super::*;

/// The abort handles of finished children are swept, so a long-running
/// group spawning many short children keeps a list within about twice
/// its live children, not one handle per child ever spawned.
#[tokio::test]
async fn finished_childrens_handles_do_not_pile_up() {
    scope(|tg| async move {
        let mut most = 0;
        for i in 0..10_000u32 {
            tg.spawn(async move { Ok::<_, ()>(i) })?;
            if i % 100 == 99 {
                // At most a hundred children live at once.
                while tg.shared.live.load(Ordering::SeqCst) > 0 {
                    tokio::task::yield_now().await;
                }
            }
            most = most.max(tg.lock().tasks.len());
        }
        assert!(most <= 3 * 100 + MIN_SWEEP, "{most} handles kept");
        Ok::<_, ErrorGroup<()>>(())
    })
    .await
    .unwrap();
}
