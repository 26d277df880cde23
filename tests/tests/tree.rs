//! The live task tree (feature `tree`): each group, gather and race shows up
//! where it runs, with its children's names, states and spawn locations,
//! and is gone once it ends.
//!
//! `tree()` sees the whole process and tests run side by side, so each test
//! names its own groups and looks only at those.
//!
//! Run with `cargo test -p taskgroup-tests --features tree --test tree`
//! (CI does): the feature is off in the workspace's own test run, so every
//! other test checks the runtime as users get it by default.
#![cfg(feature = "tree")]

use std::future::pending;
use std::time::Duration;

use taskgroup::{
    Builder, ChildState, ErrorGroup, Group, GroupKind, GroupState, TaskGroup, task_group,
};
use tokio::sync::{mpsc, oneshot};

type Tg = TaskGroup<String>;

/// The group named `name` in a fresh snapshot; panics with the whole tree
/// when it is missing.
fn group(name: &str) -> Group {
    let tree = taskgroup::tree();
    match tree.find(name) {
        Some(group) => group.clone(),
        None => panic!("no group `{name}` in:\n{tree}"),
    }
}

fn gone(name: &str) -> bool {
    taskgroup::tree().find(name).is_none()
}

fn names(group: &Group) -> Vec<(&str, ChildState)> {
    group
        .children
        .iter()
        .map(|child| (child.name.as_str(), child.state))
        .collect()
}

/// Yields to the runtime until `done` holds, at most 1,000 times: a
/// current-thread runtime runs every ready task in between.
async fn until(mut done: impl FnMut() -> bool) {
    for _ in 0..1_000 {
        if done() {
            return;
        }
        tokio::task::yield_now().await;
    }
    panic!(
        "the condition never held; the tree now:\n{}",
        taskgroup::tree()
    );
}

/// A child that parks until told to finish.
async fn parked(release: oneshot::Receiver<()>) -> Result<(), String> {
    release.await.ok();
    Ok(())
}

#[task_group(tg)]
async fn inner_service(ready: oneshot::Sender<()>) -> Result<(), ErrorGroup<String>> {
    tg.spawn_named("leaf", pending::<Result<(), String>>())?;
    ready.send(()).ok();
    pending::<()>().await;
    Ok(())
}

#[tokio::test]
async fn nested_groups_sit_under_the_child_that_runs_them() {
    let (ready_tx, ready_rx) = oneshot::channel();
    let (body_ready_tx, body_ready_rx) = oneshot::channel();
    let (outer_tx, outer_rx) = oneshot::channel();
    let outer = Builder::new()
        .name("nested:outer")
        .scope(|tg: Tg| async move {
            tg.spawn_nested(inner_service(ready_tx))?;
            outer_tx.send(tg.clone()).ok();
            // A group opened by the body itself sits under the body.
            Builder::new()
                .name("nested:in-body")
                .scope(|_tg: Tg| async move {
                    body_ready_tx.send(()).ok();
                    pending::<()>().await;
                    Ok(())
                })
                .await
        });
    let observe = async {
        ready_rx.await.unwrap();
        body_ready_rx.await.unwrap();
        let outer = group("nested:outer");
        assert_eq!(outer.kind, GroupKind::Scope);
        assert_eq!(outer.state, GroupState::Running);
        assert_eq!(names(&outer), [("task-0", ChildState::Running)]);
        let inner = &outer.children[0].groups;
        assert_eq!(inner.len(), 1, "{}", taskgroup::tree());
        assert_eq!(inner[0].name.as_deref(), Some("tree::inner_service"));
        assert_eq!(names(&inner[0]), [("leaf", ChildState::Running)]);
        let in_body: Vec<_> = outer.groups.iter().map(|g| g.name.as_deref()).collect();
        assert_eq!(in_body, [Some("nested:in-body")]);
        // Not also a root of its own.
        let roots = taskgroup::tree().groups;
        assert!(
            !roots
                .iter()
                .any(|g| g.name.as_deref() == Some("tree::inner_service"))
        );
        outer_rx.await.unwrap().cancel();
    };
    let (ended, ()) = tokio::join!(outer, observe);
    assert!(ended.unwrap_err().is_cancelled());
    // The scope returned once everything in it ended: the subtree went with it.
    for name in ["nested:outer", "tree::inner_service", "nested:in-body"] {
        assert!(gone(name), "{name} is still in:\n{}", taskgroup::tree());
    }
}

#[tokio::test]
async fn a_limit_queue_shows_who_waits_and_who_runs() {
    let (tx, mut rx) = mpsc::unbounded_channel::<oneshot::Sender<()>>();
    let scope = Builder::new()
        .name("limit:queue")
        .limit(1)
        .scope(|tg: Tg| async move {
            for _ in 0..3 {
                let tx = tx.clone();
                tg.spawn(async move {
                    let (release_tx, release_rx) = oneshot::channel();
                    tx.send(release_tx).unwrap();
                    parked(release_rx).await
                })?;
            }
            Ok(())
        });
    let observe = async {
        let first = rx.recv().await.unwrap();
        assert_eq!(
            names(&group("limit:queue")),
            [
                ("task-0", ChildState::Running),
                ("task-1", ChildState::Queued),
                ("task-2", ChildState::Queued),
            ]
        );
        assert_eq!(group("limit:queue").state, GroupState::Finishing);
        first.send(()).unwrap();
        let second = rx.recv().await.unwrap();
        until(|| group("limit:queue").children.len() == 2).await;
        assert_eq!(
            names(&group("limit:queue")),
            [
                ("task-1", ChildState::Running),
                ("task-2", ChildState::Queued)
            ]
        );
        second.send(()).unwrap();
        rx.recv().await.unwrap().send(()).unwrap();
    };
    let (ended, ()) = tokio::join!(scope, observe);
    ended.unwrap();
    assert!(gone("limit:queue"));
}

#[tokio::test(start_paused = true)]
async fn a_grace_period_shows_the_children_still_asked_to_stop() {
    let (ready_tx, ready_rx) = oneshot::channel();
    let scope = Builder::new()
        .name("grace:group")
        .grace_period(Duration::from_secs(60))
        .scope(|tg: Tg| async move {
            // Ignores the token: aborted when the grace period ends.
            tg.spawn_named("stubborn", pending::<Result<(), String>>())?;
            tg.spawn_named("failing", async move {
                ready_rx.await.ok();
                Err::<(), _>("broken".to_owned())
            })?;
            Ok(())
        });
    let observe = async {
        until(|| group("grace:group").children.len() == 2).await;
        ready_tx.send(()).unwrap();
        until(|| group("grace:group").state != GroupState::Finishing).await;
        let cancelling = group("grace:group");
        assert_eq!(
            cancelling.state,
            GroupState::Cancelling { grace_period: true }
        );
        assert_eq!(names(&cancelling), [("stubborn", ChildState::Cancelling)]);
        // Past the grace period the scope aborts it, and returns.
        tokio::time::sleep(Duration::from_secs(61)).await;
    };
    let (ended, ()) = tokio::join!(scope, observe);
    assert_eq!(ended.unwrap_err().first().name(), "failing");
    assert!(gone("grace:group"));
}

#[tokio::test]
async fn aborted_children_show_until_they_are_dropped() {
    Builder::new()
        .name("abort:group")
        .scope(|tg: Tg| async move {
            tg.spawn_named("a", pending::<Result<(), String>>())?;
            tg.spawn_named("b", pending::<Result<(), String>>())?;
            tg.cancel();
            // In the same poll: aborted, and the runtime has not run them since.
            let group = group("abort:group");
            assert_eq!(
                group.state,
                GroupState::Cancelling {
                    grace_period: false
                }
            );
            assert_eq!(
                names(&group),
                [("a", ChildState::Cancelled), ("b", ChildState::Cancelled)]
            );
            Ok(())
        })
        .await
        .unwrap();
    assert!(gone("abort:group"));
}

#[tokio::test]
async fn gather_arguments_show_under_the_child_that_gathers() {
    let (tx, mut rx) = mpsc::unbounded_channel::<oneshot::Sender<()>>();
    let scope = Builder::new()
        .name("gather:group")
        .scope(|tg: Tg| async move {
            tg.spawn_named("fetcher", async move {
                let values = Builder::new()
                    .name("gather:pages")
                    .limit(2)
                    .gather_all((0..4u32).map(|page| {
                        let tx = tx.clone();
                        async move {
                            let (release_tx, release_rx) = oneshot::channel();
                            tx.send(release_tx).unwrap();
                            release_rx.await.ok();
                            Ok::<_, String>(page * 10)
                        }
                    }))
                    .await
                    .map_err(|e| e.to_string())?;
                assert_eq!(values, [0, 10, 20, 30]);
                Ok(())
            })?;
            Ok(())
        });
    let observe = async {
        let first = rx.recv().await.unwrap();
        let second = rx.recv().await.unwrap();
        let outer = group("gather:group");
        let fetcher = &outer.children[0];
        assert_eq!(fetcher.name, "fetcher");
        let pages = &fetcher.groups[0];
        assert_eq!(pages.kind, GroupKind::Gather);
        assert_eq!(pages.name.as_deref(), Some("gather:pages"));
        assert_eq!(
            names(pages),
            [
                ("task-0", ChildState::Running),
                ("task-1", ChildState::Running),
                ("task-2", ChildState::Queued),
                ("task-3", ChildState::Queued),
            ]
        );
        first.send(()).unwrap();
        second.send(()).unwrap();
        rx.recv().await.unwrap().send(()).unwrap();
        rx.recv().await.unwrap().send(()).unwrap();
    };
    let (ended, ()) = tokio::join!(scope, observe);
    ended.unwrap();
    assert!(gone("gather:group") && gone("gather:pages"));
}

#[tokio::test]
async fn a_gather_macro_and_its_arguments_show_where_it_was_written() {
    let (ready_tx, ready_rx) = oneshot::channel();
    let (release_tx, release_rx) = oneshot::channel();
    let scope = Builder::new()
        .name("macro:group")
        .scope(|tg: Tg| async move {
            let line = line!() + 1;
            let (a, b) = taskgroup::gather!(
                async move {
                    ready_tx.send(()).ok();
                    release_rx.await.ok();
                    Ok::<_, String>(1)
                },
                async { Ok(2) },
            )
            .await?;
            assert_eq!((a, b), (1, 2));
            drop(tg);
            Ok(line)
        });
    let observe = async {
        ready_rx.await.unwrap();
        let outer = group("macro:group");
        let gather = &outer.groups[0];
        assert_eq!(gather.kind, GroupKind::Gather);
        assert_eq!(names(gather), [("task-0", ChildState::Running)]);
        release_tx.send(()).unwrap();
        gather.opened_at.clone()
    };
    let (ended, opened_at) = tokio::join!(scope, observe);
    let line = ended.unwrap();
    assert!(
        opened_at.starts_with(&format!("{}:{line}:", file!())),
        "{opened_at} is not the gather!'s line {line}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_staggered_race_shows_its_waiting_attempts() {
    let race = Builder::new()
        .name("race:connect")
        .stagger(Duration::from_secs(1))
        .race_all((0..3u32).map(|attempt| async move {
            pending::<()>().await;
            Ok::<_, String>(attempt)
        }));
    let observe = async {
        until(|| taskgroup::tree().find("race:connect").is_some()).await;
        let race = group("race:connect");
        assert_eq!(race.kind, GroupKind::Race);
        assert_eq!(
            names(&race),
            [
                ("task-0", ChildState::Running),
                ("task-1", ChildState::Queued),
                ("task-2", ChildState::Queued),
            ]
        );
        tokio::time::sleep(Duration::from_millis(1_500)).await;
        assert_eq!(
            names(&group("race:connect")),
            [
                ("task-0", ChildState::Running),
                ("task-1", ChildState::Running),
                ("task-2", ChildState::Queued),
            ]
        );
    };
    tokio::select! {
        _ = race => unreachable!("no attempt ends"),
        () = observe => {}
    }
    assert!(gone("race:connect"));
}

#[tokio::test]
async fn spawn_locations_and_ages_are_the_callers() {
    let spawn_line = line!() + 4;
    Builder::new()
        .name("where:group")
        .scope(|tg: Tg| async move {
            tg.spawn_named("here", pending::<Result<(), String>>())?;
            let group = group("where:group");
            let child = &group.children[0];
            assert!(
                child
                    .spawned_at
                    .starts_with(&format!("{}:{spawn_line}:", file!())),
                "{} is not line {spawn_line}",
                child.spawned_at
            );
            assert!(child.age < Duration::from_secs(60));
            tg.cancel();
            Ok(())
        })
        .await
        .unwrap();
}

#[tokio::test]
async fn the_tree_prints_indented_and_as_json() {
    let (ready_tx, ready_rx) = oneshot::channel();
    let scope = Builder::new()
        .name("print:outer")
        .scope(|tg: Tg| async move {
            tg.spawn_named("worker", async move {
                Builder::new()
                    .name("print:inner")
                    .scope(|tg: Tg| async move {
                        tg.spawn_named("leaf", pending::<Result<(), String>>())?;
                        ready_tx.send(()).ok();
                        pending::<()>().await;
                        Ok(())
                    })
                    .await
                    .map_err(|e| e.to_string())
            })?;
            tg.spawn_named("idle", pending::<Result<(), String>>())?;
            Ok(())
        });
    let observe = async {
        ready_rx.await.unwrap();
        let tree = taskgroup::tree();
        let outer = tree.find("print:outer").unwrap();
        let inner = outer.find("print:inner").unwrap();
        let (worker, idle, leaf) = (&outer.children[0], &outer.children[1], &inner.children[0]);
        let age = |a: Duration| format!("{:.2}s", a.as_secs_f64());
        let expected = format!(
            "group `print:outer` at {}: finishing, {}\n\
             ├─ task `worker` at {}: running, {}\n\
             │  └─ group `print:inner` at {}: running, {}\n\
             │     └─ task `leaf` at {}: running, {}\n\
             └─ task `idle` at {}: running, {}\n",
            outer.opened_at,
            age(outer.age),
            worker.spawned_at,
            age(worker.age),
            inner.opened_at,
            age(inner.age),
            leaf.spawned_at,
            age(leaf.age),
            idle.spawned_at,
            age(idle.age),
        );
        let printed = tree.to_string();
        assert!(
            printed.contains(&expected),
            "expected\n{expected}\nin\n{printed}"
        );
        let json = tree.to_json();
        let leaf_json = format!(
            r#"{{"name":"leaf","state":"running","age_ms":{},"spawned_at":"{}","groups":[]}}"#,
            leaf.age.as_millis(),
            leaf.spawned_at
        );
        let inner_json = format!(
            r#"{{"kind":"group","name":"print:inner","opened_at":"{}","state":"running","age_ms":{},"children":[{leaf_json}],"groups":[]}}"#,
            inner.opened_at,
            inner.age.as_millis()
        );
        assert!(
            json.contains(&inner_json),
            "expected\n{inner_json}\nin\n{json}"
        );
        assert!(json.starts_with(r#"{"groups":["#) && json.ends_with("]}"));
    };
    tokio::select! {
        _ = scope => unreachable!("the children never end"),
        () = observe => {}
    }
    // A dropped scope leaves at once; its aborted children (and the group
    // inside one) when the runtime next runs them, which it does now.
    assert!(gone("print:outer"));
    until(|| gone("print:inner")).await;
}

#[tokio::test]
async fn json_escapes_what_rfc_8259_requires() {
    const NAME: &str = "json:\"quoted\" back\\slash\nline\u{1}é";
    Builder::new()
        .name(NAME)
        .scope(|_tg: Tg| async move {
            let json = taskgroup::tree().to_json();
            let escaped = r#""name":"json:\"quoted\" back\\slash\nline\u0001é""#;
            assert!(json.contains(escaped), "{escaped} not in {json}");
            Ok(())
        })
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_groups_come_and_go_on_two_workers() {
    // 200 nested groups of 20 children each, while another task takes
    // snapshots: none is left once all have ended.
    let snapshots = tokio::spawn(async {
        let mut seen = 0usize;
        for _ in 0..200 {
            seen += taskgroup::tree().to_json().len();
            tokio::task::yield_now().await;
        }
        seen
    });
    let total = Builder::new()
        .name("churn:outer")
        .scope(|tg: Tg| async move {
            let mut handles = Vec::new();
            for i in 0..200u64 {
                handles.push(tg.spawn_nested(Builder::new().name("churn:inner").scope(
                    move |tg: Tg| async move {
                        let mut sum = 0;
                        for j in 0..20u64 {
                            sum += tg.spawn(async move { Ok(i * 100 + j) })?.await?;
                        }
                        Ok(sum)
                    },
                ))?);
            }
            let mut total = 0;
            for handle in handles {
                total += handle.await?;
            }
            Ok(total)
        })
        .await
        .unwrap();
    let expected: u64 = (0..200u64)
        .map(|i| (0..20).map(|j| i * 100 + j).sum::<u64>())
        .sum();
    assert_eq!(total, expected);
    assert!(snapshots.await.unwrap() > 0);
    let tree = taskgroup::tree();
    assert!(tree.find("churn:inner").is_none(), "left in:\n{tree}");
    assert!(tree.find("churn:outer").is_none());
}
