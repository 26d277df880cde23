//! Errors as the rest of the ecosystem sees them: `?` into `Box<dyn Error>`
//! and `anyhow::Error`, chain printers that show each level once, the full
//! tree with `{:#}`, nested groups flattened, and cancellations that never
//! read as failures.

mod common;

use std::error::Error;
use std::time::Duration;

use anyhow::{Context as _, anyhow};
use taskgroup::{
    Builder, Cancelled, ErrorGroup, Failure, SpawnError, TaskError, TaskName, gather_all, scope,
};

type BoxError = Box<dyn Error + Send + Sync>;

/// The sources below `err`, each as its `Display` shows it.
fn chain(err: &(dyn Error + 'static)) -> Vec<String> {
    let mut texts = vec![err.to_string()];
    let mut next = err.source();
    while let Some(source) = next {
        texts.push(source.to_string());
        next = source.source();
    }
    texts
}

/// anyhow's `{:?}` up to the backtrace it appends when `RUST_BACKTRACE` is set.
fn anyhow_debug(err: &anyhow::Error) -> String {
    let debug = format!("{err:?}");
    match debug.split_once("\n\nStack backtrace:") {
        Some((report, _)) => report.to_string(),
        None => debug,
    }
}

async fn fetch_boxed() -> Result<(), ErrorGroup<BoxError>> {
    scope(|tg| async move {
        tg.spawn_named("fetch", async {
            Err::<(), BoxError>("GET /missing -> HTTP 404".into())
        })?;
        Ok(())
    })
    .await
}

async fn caller_of_boxed() -> Result<(), Box<dyn Error>> {
    fetch_boxed().await?;
    Ok(())
}

#[tokio::test]
async fn a_group_of_boxed_errors_questions_into_a_boxed_error() {
    let err = caller_of_boxed().await.unwrap_err();
    assert_eq!(
        chain(&*err),
        ["task `fetch` failed", "GET /missing -> HTTP 404"]
    );
    let group = err
        .downcast_ref::<ErrorGroup<BoxError>>()
        .expect("the group itself");
    assert_eq!(group.first().name(), "fetch");
}

async fn fetch_anyhow() -> Result<(), ErrorGroup<anyhow::Error>> {
    scope(|tg| async move {
        tg.spawn_named("fetch", async {
            Err::<(), _>(anyhow!("HTTP 404")).context("GET /missing")
        })?;
        Ok(())
    })
    .await
}

async fn caller_of_anyhow() -> anyhow::Result<()> {
    fetch_anyhow().await?;
    Ok(())
}

#[tokio::test]
async fn a_group_of_anyhow_errors_questions_into_anyhow_and_prints_each_level_once() {
    let err = caller_of_anyhow().await.unwrap_err();
    assert_eq!(err.to_string(), "task `fetch` failed");
    // The task's anyhow error is the end of the chain, written with its own
    // chain (anyhow's `{:#}`): "HTTP 404" is there once.
    assert_eq!(
        format!("{err:#}"),
        "task `fetch` failed: GET /missing: HTTP 404"
    );
    assert_eq!(
        anyhow_debug(&err),
        "task `fetch` failed\n\nCaused by:\n    GET /missing: HTTP 404"
    );
    assert!(err.downcast_ref::<ErrorGroup<anyhow::Error>>().is_some());
}

/// Two failures, `a` first: the headline names both, the chain follows the
/// first, `{:#}` of the group itself lists both with their reasons.
#[tokio::test]
async fn several_failures_name_every_task_and_follow_the_first() {
    let group = Builder::new()
        .supervisor()
        .scope(|tg| async move {
            tg.spawn_named("a", async {
                Err::<(), _>(anyhow!("HTTP 404")).context("GET /missing")
            })?;
            tg.spawn_named("b", async {
                tokio::task::yield_now().await;
                Err::<(), _>(anyhow!("connection reset"))
            })?;
            Ok(())
        })
        .await
        .unwrap_err();
    assert_eq!(
        format!("{group:#}"),
        "2 tasks failed:\n  task `a` failed: GET /missing: HTTP 404\n  task `b` failed: connection reset"
    );
    let err = anyhow::Error::from(group);
    assert_eq!(
        format!("{err:#}"),
        "2 tasks failed: `a`, `b`: task `a` failed: GET /missing: HTTP 404"
    );
    assert_eq!(
        anyhow_debug(&err),
        "2 tasks failed: `a`, `b`\n\nCaused by:\n    0: task `a` failed\n    1: GET /missing: HTTP 404"
    );
}

#[test]
fn a_long_headline_names_five_tasks_then_counts() {
    let group = (0..7)
        .map(|i| ErrorGroup::from_task_error(format!("t{i}"), TaskError::Failed(i)))
        .reduce(ErrorGroup::merge)
        .unwrap();
    assert_eq!(
        group.to_string(),
        "7 tasks failed: `t0`, `t1`, `t2`, `t3`, `t4` and 2 more"
    );
}

/// A group of groups (a `gather_all` over scopes): `{:#}` draws one tree,
/// each level indented under its task; `flatten` gives the leaves, named
/// `outer/inner`.
#[tokio::test]
async fn nested_groups_are_one_tree_and_flatten_to_their_leaves() {
    let two_failures = || {
        Builder::new().supervisor().scope(|tg| async move {
            tg.spawn_named("x", async { Err::<(), _>("bad x") })?;
            tg.spawn_named("y", async {
                tokio::task::yield_now().await;
                Err::<(), _>("bad y")
            })?;
            Ok(())
        })
    };
    let one_failure = || {
        scope(|tg| async move {
            tg.spawn_named("z", async { Err::<(), _>("bad z") })?;
            Ok(())
        })
    };
    let first: ErrorGroup<ErrorGroup<&str>> = gather_all([two_failures()]).await.unwrap_err();
    let second: ErrorGroup<ErrorGroup<&str>> = gather_all([one_failure()]).await.unwrap_err();
    let nested = first.merge(second);
    assert_eq!(nested.to_string(), "2 tasks failed: `task-0`, `task-0`");
    assert_eq!(
        format!("{nested:#}"),
        "2 tasks failed:\
         \n  task `task-0` failed: 2 tasks failed:\
         \n    task `x` failed: bad x\
         \n    task `y` failed: bad y\
         \n  task `task-0` failed: task `z` failed: bad z"
    );
    let flat = nested.flatten();
    assert_eq!(
        format!("{flat:#}"),
        "3 tasks failed:\
         \n  task `task-0/x` failed: bad x\
         \n  task `task-0/y` failed: bad y\
         \n  task `task-0/z` failed: bad z"
    );
}

/// The docs say a cancellation is never a failure: a body that propagates
/// an aborted child's handle with `?` ends the scope with a group that is
/// a cancellation, and its text says so.
#[tokio::test]
async fn a_propagated_cancellation_reads_as_one() {
    let err = scope(|tg| async move {
        let slow = tg.spawn_named("slow", async {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            Ok::<_, anyhow::Error>(())
        })?;
        slow.abort();
        slow.await?;
        Ok(())
    })
    .await
    .unwrap_err();
    assert!(err.is_cancelled());
    assert_eq!(err.to_string(), "task `slow` was cancelled");
    assert_eq!(format!("{err:#}"), "task `slow` was cancelled");
    assert!(err.source().is_none(), "nothing failed: no reason to give");
    let err = anyhow::Error::from(err);
    assert_eq!(anyhow_debug(&err), "task `slow` was cancelled");
}

#[test]
fn cancellations_beside_failures_are_counted_apart() {
    let group = ErrorGroup::from_task_error("a", TaskError::Failed("bad"))
        .merge(ErrorGroup::from_task_error("b", TaskError::Cancelled))
        .merge(ErrorGroup::from_task_error("c", TaskError::Cancelled));
    assert_eq!(
        group.to_string(),
        "1 task failed: `a`; 2 tasks were cancelled: `b`, `c`"
    );
    assert_eq!(
        format!("{group:#}"),
        "1 task failed, 2 cancelled:\n  task `a` failed: bad\n  task `b` was cancelled\n  task `c` was cancelled"
    );
    assert_eq!(
        chain(&group),
        [
            "1 task failed: `a`; 2 tasks were cancelled: `b`, `c`",
            "task `a` failed",
            "bad"
        ]
    );
}

#[test]
fn map_err_keeps_names_order_and_other_outcomes() {
    let group = ErrorGroup::from_task_error("a", TaskError::Failed(404))
        .merge(ErrorGroup::from_task_error(
            "b",
            TaskError::Panicked("boom".into()),
        ))
        .merge(ErrorGroup::from_task_error("c", TaskError::Failed(500)));
    let mapped = group.map_err(|code| format!("HTTP {code}"));
    let seen: Vec<(String, TaskError<String>)> = mapped
        .into_iter()
        .map(|f| {
            let (name, error) = f.into_parts();
            (name.to_string(), error)
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("a".to_string(), TaskError::Failed("HTTP 404".to_string())),
            ("b".to_string(), TaskError::Panicked("boom".to_string())),
            ("c".to_string(), TaskError::Failed("HTTP 500".to_string())),
        ]
    );
}

/// The value traits hold whenever the user's error has them: panics are
/// kept as their messages, so nothing in a group is uncloneable.
#[tokio::test]
async fn errors_clone_and_compare_when_the_users_error_does() {
    let group = scope(|tg| async move {
        tg.spawn_named("p", async { common::explode(true, "boom") })?;
        Ok(())
    })
    .await
    .unwrap_err();
    let copy = group.clone();
    assert_eq!(copy, group);
    assert_eq!(copy.first(), group.first());
    assert_eq!(
        *group.first().error(),
        TaskError::Panicked("boom".to_string())
    );
    assert_ne!(group, ErrorGroup::from("boom"));

    let cancelled = scope(|tg| async move {
        let handle = tg.spawn_named("h", std::future::pending::<Result<(), ()>>())?;
        handle.abort();
        let refusal: Cancelled<()> = handle.await.unwrap_err();
        Ok::<_, ErrorGroup<()>>(refusal)
    })
    .await
    .unwrap();
    assert_eq!(cancelled.clone(), cancelled);
    assert_eq!(cancelled.name().as_str(), "h");
}

/// Compile-time: the standard traits the API guidelines ask for.
#[test]
fn the_types_have_the_common_traits() {
    fn eq_hash_ord<T: Eq + std::hash::Hash + Ord + Clone + AsRef<str>>() {}
    fn value<T: Clone + Eq + std::fmt::Debug>() {}
    fn error<T: Error + Send + Sync + 'static>() {}
    eq_hash_ord::<TaskName>();
    value::<TaskError<String>>();
    value::<Failure<String>>();
    value::<ErrorGroup<String>>();
    value::<Cancelled<String>>();
    value::<SpawnError<String>>();
    error::<ErrorGroup<BoxError>>();
    error::<ErrorGroup<anyhow::Error>>();
    error::<ErrorGroup<String>>();
    error::<Failure<anyhow::Error>>();
    error::<TaskError<anyhow::Error>>();
}

/// A nested group that ends as a cancellation (its body called `cancel()`)
/// is a cancelled child of the outer group: nothing failed, so the outer
/// group goes on and returns its value.
#[tokio::test]
async fn a_cancelled_nested_group_is_a_cancelled_child_not_a_failure() {
    let value = scope(|outer| async move {
        let nested = outer.spawn_nested(scope(|inner| async move {
            inner.cancel();
            std::future::pending::<()>().await;
            Ok::<_, ErrorGroup<&str>>(())
        }))?;
        let sibling = outer.spawn(async {
            tokio::task::yield_now().await;
            Ok(7)
        })?;
        let cancelled = nested.await.unwrap_err();
        assert_eq!(cancelled.name(), "task-0");
        Ok(sibling.await?)
    })
    .await
    .unwrap();
    assert_eq!(value, 7);
}
