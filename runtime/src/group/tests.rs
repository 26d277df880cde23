use super::scope::scope;
use super::*;
use crate::error::ErrorGroup;

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

/// A named child's name lives in the group only while the child does: a
/// long-running group spawning many named children keeps none of theirs.
#[tokio::test]
async fn names_of_ended_children_are_forgotten() {
    scope(|tg| async move {
        for i in 0..1_000u32 {
            tg.spawn_named(format!("worker {i}"), async move { Ok::<_, ()>(i) })?
                .await?;
        }
        assert!(
            tg.lock().names.is_empty(),
            "{} names kept",
            tg.lock().names.len()
        );
        Ok::<_, ErrorGroup<()>>(())
    })
    .await
    .unwrap();
}

/// A child knows only its number; a failure still carries its given name,
/// and an unnamed sibling's `task-N`.
#[tokio::test]
async fn failures_are_named_from_the_childs_number() {
    let err = scope(|tg| async move {
        tg.spawn_named("named", async { Err::<(), _>("a") })?;
        tg.spawn(async { Err::<(), _>("b") })?;
        Ok(())
    })
    .await
    .unwrap_err();
    let mut names: Vec<_> = err.iter().map(|f| f.name().to_string()).collect();
    names.sort();
    assert_eq!(names, ["named", "task-1"]);
}
