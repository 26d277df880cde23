//! Behaviour of `#[task_group]`: free fns and methods, `?` on both error
//! kinds, fail-fast cancellation, supervisor, limit, timeout, `name`,
//! `crate`, attribute order with `#[tokio::test]`, and hygiene.

use std::sync::Arc;
use std::time::Duration;

use taskgroup::{ErrorGroup, TaskError, gather, task_group};

mod common;
use common::{Drops, HighWater, yield_times};
use tokio::sync::{Notify, oneshot};

#[derive(Debug, PartialEq)]
struct AppError(&'static str);

#[task_group(tg)]
async fn sum(values: Vec<u32>) -> Result<u32, ErrorGroup<AppError>> {
    let mut handles = Vec::new();
    for v in values {
        handles.push(tg.spawn(async move { Ok(v * 2) })?);
    }
    let mut total = 0;
    for h in handles {
        total += h.await?;
    }
    Ok(total)
}

#[tokio::test]
async fn a_free_fn_binds_tg_and_joins_its_children() {
    assert_eq!(sum(vec![1, 2, 3]).await.unwrap(), 12);
}

fn parse(s: &str) -> Result<u32, AppError> {
    s.parse().map_err(|_| AppError("not a number"))
}

#[task_group(_tg)]
async fn question_marks(input: &str) -> Result<u32, ErrorGroup<AppError>> {
    // `?` on `Result<_, E>`: becomes a failure of the body.
    let n = parse(input)?;
    // `?` on `Result<_, ErrorGroup<E>>` (a nested gather).
    let (m,) = gather!(async move { Ok::<_, AppError>(n + 1) }).await?;
    Ok(m)
}

#[tokio::test]
async fn question_mark_works_on_plain_errors_and_error_groups() {
    assert_eq!(question_marks("41").await.unwrap(), 42);
    let err = question_marks("x").await.unwrap_err();
    assert_eq!(err.first().name(), "body");
    assert_eq!(
        err.errors().collect::<Vec<_>>(),
        [&AppError("not a number")]
    );
}

#[task_group(tg)]
async fn fail_fast(drops: Drops) -> Result<(), ErrorGroup<AppError>> {
    let started = Arc::new(Notify::new());
    let guard = drops.guard();
    let notify = started.clone();
    tg.spawn_named("waiter", async move {
        let _guard = guard;
        notify.notify_one();
        std::future::pending::<()>().await;
        Ok(())
    })?;
    tg.spawn_named("failer", async move {
        started.notified().await;
        Err::<(), _>(AppError("disk full"))
    })?;
    Ok(())
}

#[tokio::test]
async fn first_failure_cancels_the_siblings_and_their_drop_guards_run() {
    let drops = Drops::default();
    let err = fail_fast(drops.clone()).await.unwrap_err();
    assert_eq!(err.len(), 1);
    assert_eq!(err.first().name(), "failer");
    assert_eq!(drops.count(), 1);
}

#[task_group(tg, supervisor)]
async fn supervised() -> Result<&'static str, ErrorGroup<AppError>> {
    let (failed_tx, failed_rx) = oneshot::channel::<()>();
    tg.spawn_named("replica-1", async move {
        failed_tx.send(()).ok();
        Err::<(), _>(AppError("down"))
    })?;
    let healthy = tg.spawn_named("replica-2", async move {
        failed_rx.await.ok();
        Ok("still serving")
    })?;
    // Not cancelled by its sibling's failure.
    assert_eq!(healthy.await?, "still serving");
    Ok("body done")
}

#[tokio::test]
async fn supervisor_collects_failures_without_cancelling_siblings() {
    let err = supervised().await.unwrap_err();
    assert_eq!(err.len(), 1);
    assert_eq!(err.first().name(), "replica-1");
}

#[task_group(tg, limit = 2)]
async fn limited(high_water: HighWater) -> Result<(), ErrorGroup<AppError>> {
    for _ in 0..6 {
        let high_water = high_water.clone();
        tg.spawn(async move {
            high_water.track(yield_times(20)).await;
            Ok(())
        })?;
    }
    Ok(())
}

#[tokio::test]
async fn limit_never_runs_more_than_n_children_at_once() {
    let high_water = HighWater::default();
    limited(high_water.clone()).await.unwrap();
    assert_eq!(high_water.max(), 2);
}

#[task_group(tg, timeout = Duration::from_secs(5))]
async fn too_slow() -> Result<(), ErrorGroup<AppError>> {
    tg.spawn(async {
        tokio::time::sleep(Duration::from_secs(60)).await;
        Ok(())
    })?;
    Ok(())
}

#[tokio::test(start_paused = true)]
async fn timeout_fails_with_a_deadline_member() {
    let started = tokio::time::Instant::now();
    let err = too_slow().await.unwrap_err();
    assert_eq!(err.first().name(), "deadline");
    assert!(matches!(err.first().error(), TaskError::TimedOut(d) if *d == Duration::from_secs(5)));
    assert_eq!(started.elapsed(), Duration::from_secs(5));
}

#[task_group(group)]
async fn renamed(tg: u32) -> Result<u32, ErrorGroup<AppError>> {
    // `tg` is an ordinary parameter here; the handle is `group`.
    let h = group.spawn(async move { Ok(tg + 1) })?;
    Ok(h.await?)
}

#[tokio::test]
async fn name_renames_the_handle() {
    assert_eq!(renamed(1).await.unwrap(), 2);
}

mod renamed_dependency {
    pub use taskgroup as tg_crate;
}

#[task_group(tg, crate = renamed_dependency::tg_crate)]
async fn via_renamed_crate() -> Result<u8, ErrorGroup<AppError>> {
    Ok(tg.spawn(async { Ok(3) })?.await?)
}

#[tokio::test]
async fn crate_option_names_a_renamed_dependency() {
    assert_eq!(via_renamed_crate().await.unwrap(), 3);
}

struct Service {
    base: u32,
    calls: u32,
}

impl Service {
    /// The body borrows `self`: only the children must be `'static`.
    #[task_group(tg)]
    async fn double_all(&self, values: &[u32]) -> Result<Vec<u32>, ErrorGroup<AppError>> {
        let mut handles = Vec::new();
        for &v in values {
            let base = self.base;
            handles.push(tg.spawn(async move { Ok(base + v * 2) })?);
        }
        let mut out = Vec::new();
        for h in handles {
            out.push(h.await?);
        }
        Ok(out)
    }

    #[task_group(tg, limit = 1)]
    async fn record(&mut self) -> Result<u32, ErrorGroup<AppError>> {
        self.calls += 1;
        let n = tg.spawn(async { Ok(10) })?.await?;
        self.calls += n;
        Ok(self.calls)
    }
}

#[tokio::test]
async fn methods_with_ref_self_and_mut_self() {
    let mut service = Service {
        base: 100,
        calls: 0,
    };
    assert_eq!(service.double_all(&[1, 2]).await.unwrap(), [102, 104]);
    assert_eq!(service.record().await.unwrap(), 11);
    assert_eq!(service.calls, 11);
}

trait Fetch {
    async fn fetch(&self, n: u32) -> Result<u32, ErrorGroup<AppError>>;
}

impl Fetch for Service {
    #[task_group(tg)]
    async fn fetch(&self, n: u32) -> Result<u32, ErrorGroup<AppError>> {
        let base = self.base;
        Ok(tg.spawn(async move { Ok(base + n) })?.await?)
    }
}

#[tokio::test]
async fn trait_impl_methods() {
    let service = Service { base: 1, calls: 0 };
    assert_eq!(service.fetch(2).await.unwrap(), 3);
}

#[task_group(tg, supervisor, limit = 4, timeout = Duration::from_secs(1))]
#[allow(clippy::extra_unused_type_parameters)]
async fn generic<T, U: Send + 'static>(
    items: Vec<T>,
    _marker: Option<U>,
) -> Result<Vec<T>, ErrorGroup<AppError>>
where
    T: Send + Clone + 'static,
{
    let mut handles = Vec::new();
    for item in items {
        handles.push(tg.spawn(async move { Ok(item) })?);
    }
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await?);
    }
    Ok(out)
}

#[tokio::test]
async fn generics_where_clauses_and_every_option_together() {
    assert_eq!(
        generic(vec!["a", "b"], None::<()>).await.unwrap(),
        ["a", "b"]
    );
}

// Attributes are kept, in order: without the `cfg`, the second `twice`
// would be a duplicate definition.
#[task_group(tg)]
#[cfg(not(test))]
async fn twice() -> Result<(), ErrorGroup<AppError>> {
    Ok(())
}

#[task_group(_tg)]
#[cfg(test)]
#[doc = "kept"]
async fn twice() -> Result<u8, ErrorGroup<AppError>> {
    Ok(2)
}

#[tokio::test]
async fn other_attributes_are_kept() {
    assert_eq!(twice().await.unwrap(), 2);
}

// `#[task_group]` goes above `#[tokio::test]` (and `#[tokio::main]`): it
// expands first and still sees the `async fn`.
#[task_group(tg)]
#[tokio::test]
async fn stacks_above_tokio_test() -> Result<(), ErrorGroup<AppError>> {
    let h = tg.spawn(async { Ok(5) })?;
    assert_eq!(h.await?, 5);
    Ok(())
}

#[task_group(tg, limit = 1)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stacks_above_tokio_test_with_arguments() -> Result<(), ErrorGroup<AppError>> {
    tg.spawn(async { Ok(()) })?;
    Ok(())
}

#[task_group(tg)]
async fn hygiene(scope: u8, taskgroup: u8, handle: u8) -> Result<u8, ErrorGroup<AppError>> {
    let __gather_0 = 1u8;
    let __task_group_timeout = 2u8;
    let h = tg.spawn(async move { Ok(scope + taskgroup + handle) })?;
    Ok(h.await? + __gather_0 + __task_group_timeout)
}

#[task_group(_tg, timeout = Duration::from_secs(1))]
async fn hygiene_with_timeout(__task_group_timeout: u8) -> Result<u8, ErrorGroup<AppError>> {
    Ok(__task_group_timeout)
}

#[tokio::test]
async fn user_names_like_the_internals_are_untouched() {
    assert_eq!(hygiene(1, 2, 3).await.unwrap(), 9);
    assert_eq!(hygiene_with_timeout(7).await.unwrap(), 7);
}

#[task_group(tg)]
async fn nested_child(fail: bool) -> Result<(), ErrorGroup<AppError>> {
    tg.spawn_named("leaf", async move {
        if fail { Err(AppError("leaf")) } else { Ok(()) }
    })?;
    Ok(())
}

#[task_group(tg)]
async fn outer() -> Result<(), ErrorGroup<AppError>> {
    tg.spawn_nested(nested_child(true))?;
    Ok(())
}

#[tokio::test]
async fn task_group_fns_nest_with_spawn_nested() {
    let err = outer().await.unwrap_err();
    assert_eq!(err.first().name(), "task-0/leaf");
}

struct Client {
    deadline: Duration,
}

impl Client {
    /// `timeout = ..` is evaluated before the body runs, so it may read `self`.
    #[task_group(tg, timeout = self.deadline)]
    async fn stuck(&self) -> Result<(), ErrorGroup<AppError>> {
        tg.spawn(std::future::pending::<Result<(), AppError>>())?;
        Ok(())
    }
}

#[tokio::test(start_paused = true)]
async fn timeout_may_read_self() {
    let client = Client {
        deadline: Duration::from_millis(250),
    };
    let err = client.stuck().await.unwrap_err();
    assert!(
        matches!(err.first().error(), TaskError::TimedOut(d) if *d == Duration::from_millis(250))
    );
}

trait Job {
    fn id(&self) -> u32;

    /// A default method body in a trait definition.
    #[task_group(tg)]
    async fn run(&self) -> Result<u32, ErrorGroup<AppError>> {
        let id = self.id();
        Ok(tg.spawn(async move { Ok(id * 10) })?.await?)
    }
}

impl Job for Client {
    fn id(&self) -> u32 {
        4
    }
}

#[tokio::test]
async fn trait_default_methods() {
    let client = Client {
        deadline: Duration::ZERO,
    };
    assert_eq!(client.run().await.unwrap(), 40);
}

#[task_group(_tg)]
async fn checked_body(path: std::path::PathBuf) -> Result<usize, ErrorGroup<std::io::Error>> {
    // Awaited async calls pass the blocking check; `gather!` inside the body
    // is checked too.
    let (text,) = gather!(tokio::fs::read_to_string(path)).await?;
    tokio::time::sleep(Duration::from_millis(1)).await;
    Ok(text.len())
}

#[tokio::test]
async fn the_blocking_check_accepts_awaited_async_calls() {
    let path = std::env::temp_dir().join("taskgroup-macros-checked-body.txt");
    tokio::fs::write(&path, "hello").await.unwrap();
    assert_eq!(checked_body(path).await.unwrap(), 5);
}

/// `grace_period`: on a failure the writer sees the token and flushes within
/// the grace period instead of being aborted at once.
#[task_group(tg, grace_period = Duration::from_secs(2))]
async fn flushes_on_cancel(flushed: Arc<Notify>) -> Result<(), ErrorGroup<AppError>> {
    let token = tg.token();
    tg.spawn(async move {
        token.cancelled().await;
        tokio::time::sleep(Duration::from_secs(1)).await; // the flush
        flushed.notify_one();
        Ok(())
    })?;
    tg.spawn(async { Err::<(), _>(AppError("reader failed")) })?;
    Ok(())
}

#[tokio::test(start_paused = true)]
async fn grace_period_lets_a_child_flush_before_abort() {
    let flushed = Arc::new(Notify::new());
    let started = tokio::time::Instant::now();
    let err = flushes_on_cancel(flushed.clone()).await.unwrap_err();
    assert_eq!(err.len(), 1);
    // The stored permit proves the flush ran to its end.
    tokio::time::timeout(Duration::ZERO, flushed.notified())
        .await
        .expect("the writer flushed within the grace period");
    assert_eq!(started.elapsed(), Duration::from_secs(1));
}
