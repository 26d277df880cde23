//! A service that prints its live task tree when it gets `SIGUSR1`
//! (`kill -USR1 <pid>`): every running group, gather and race, where each
//! was opened, and each child's name, state, age and spawn location
//! (feature `tree` of `taskgroup`).
//!
//! The service holds three connections; each runs a `#[task_group]` fn with
//! a heartbeat child, and gathers two backend queries, the second queued
//! behind a `limit(1)`.
//! So the run shows a dump without anyone typing `kill`, it sends itself the
//! signal once everything is parked, prints the tree as JSON too, and then
//! shuts down.
//!
//! Run with `cargo run -p taskgroup-examples --example task_tree --features tree`.

use taskgroup::{Builder, ErrorGroup, TaskGroup, task_group};
use tokio::sync::mpsc;

type Error = String;

/// One connection: a group of its own, named after the fn, that gathers
/// the user's profile and their orders, one query at a time.
#[task_group(tg)]
async fn handle_connection(
    user: u32,
    parked: mpsc::Sender<()>,
) -> Result<(u32, u32), ErrorGroup<Error>> {
    tg.spawn_named("heartbeat", std::future::pending::<Result<(), Error>>())?;
    let (profile, orders) = Builder::new()
        .limit(1)
        .gather_all([
            query(user, "profile", parked.clone()),
            query(user, "orders", parked),
        ])
        .await
        .map(|values| (values[0], values[1]))?;
    Ok((profile, orders))
}

/// A backend query that never answers here, so the dump catches it
/// running; it says when it has started.
async fn query(user: u32, what: &'static str, started: mpsc::Sender<()>) -> Result<u32, Error> {
    let _ = (user, what);
    started.send(()).await.ok();
    std::future::pending().await
}

/// Prints the tree each time the process gets `SIGUSR1`.
#[cfg(unix)]
async fn dump_on_signal(dumped: mpsc::Sender<()>) -> Result<(), Error> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut usr1 = signal(SignalKind::user_defined1()).map_err(|e| e.to_string())?;
    while usr1.recv().await.is_some() {
        let tree = taskgroup::tree();
        println!("== SIGUSR1: the task tree\n{tree}");
        println!("== the same, as JSON\n{}\n", tree.to_json());
        dumped.send(()).await.ok();
    }
    Ok(())
}

/// Without Unix signals: the dump is printed at once.
#[cfg(not(unix))]
async fn dump_on_signal(dumped: mpsc::Sender<()>) -> Result<(), Error> {
    println!("== the task tree\n{}", taskgroup::tree());
    dumped.send(()).await.ok();
    std::future::pending().await
}

/// Sends `SIGUSR1` to this process, as `kill -USR1 <pid>` would.
#[cfg(unix)]
fn raise_usr1() {
    // SAFETY: `raise` only asks the kernel to deliver a signal to this
    // process; tokio's handler for it is installed (`signal()` above).
    unsafe {
        libc::raise(libc::SIGUSR1);
    }
}

#[cfg(not(unix))]
fn raise_usr1() {}

#[tokio::main]
async fn main() -> Result<(), ErrorGroup<Error>> {
    println!(
        "pid {}: try `kill -USR1 {}` while it runs",
        std::process::id(),
        std::process::id()
    );
    let (parked_tx, mut parked_rx) = mpsc::channel(3);
    let (dumped_tx, mut dumped_rx) = mpsc::channel(1);
    let outcome = Builder::new()
        .name("service")
        .scope(|tg: TaskGroup<Error>| async move {
            tg.spawn_named("dump-on-sigusr1", dump_on_signal(dumped_tx))?;
            for user in 1..=3 {
                let parked = parked_tx.clone();
                tg.spawn_named(format!("connection {user}"), async move {
                    handle_connection(user, parked)
                        .await
                        .map(|_| ())
                        .map_err(|e| e.to_string())
                })?;
            }
            // Every connection's gather has started its first query (the
            // second waits for the `limit(1)` slot).
            for _ in 1..=3 {
                parked_rx.recv().await;
            }
            raise_usr1();
            dumped_rx.recv().await;
            println!("== shutting down");
            tg.cancel();
            Ok(())
        })
        .await;
    match outcome {
        Ok(()) => {}
        Err(group) if group.is_cancelled() => {}
        Err(group) => return Err(group),
    }
    println!("== after the service ended\n{}", taskgroup::tree());
    Ok(())
}
