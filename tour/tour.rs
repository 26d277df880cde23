//! The README's demo: gather!, a task group failing together, `limit` and
//! `timeout`, the cancellation token with a grace period, `as_completed`, and
//! the blocking check run on a snippet. Runs in about a second.
//!
//! ```text
//! cargo run -p taskgroup-tour --example tour
//! ```
//!
//! Every line it prints is decided before it is printed (children report
//! into logs that `main` reads once they have ended), so the output is the
//! same on every run.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use taskgroup::{ErrorGroup, TaskError, task_group};
use taskgroup_blocking::CheckOptions;
use taskgroup_blocking::krate::{CrateSource, check_crate};
use tokio::time::sleep;

/// Names of the calls whose future was dropped mid-await: the siblings a
/// group cancelled.
static CANCELLED: Mutex<Vec<&str>> = Mutex::new(Vec::new());

/// Records its call in [`CANCELLED`] when dropped before the call finished.
struct ReportCancel {
    name: &'static str,
    finished: bool,
}

impl Drop for ReportCancel {
    fn drop(&mut self) {
        if !self.finished {
            lock(&CANCELLED).push(self.name);
        }
    }
}

/// The calls cancelled since the last look, sorted: the order children
/// are aborted in is the runtime's business, not the tour's.
fn take_cancelled() -> String {
    let mut names = std::mem::take(&mut *lock(&CANCELLED));
    names.sort_unstable();
    names.join(", ")
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A pretend back-end call: takes `ms`, then answers or fails.
async fn call(name: &'static str, ms: u64, fail: bool) -> Result<String, std::io::Error> {
    let mut guard = ReportCancel {
        name,
        finished: false,
    };
    sleep(Duration::from_millis(ms)).await;
    guard.finished = true;
    if fail {
        Err(std::io::Error::other(format!("{name} returned HTTP 503")))
    } else {
        Ok(format!("{name} data"))
    }
}

/// How many photo resizes run at once, at most, and how many finished.
#[derive(Default)]
struct Gauge {
    running: AtomicUsize,
    peak: AtomicUsize,
    done: AtomicUsize,
}

/// A pretend photo resize that takes `ms`, counted in `gauge` while it runs.
async fn resize(gauge: &Gauge, ms: u64) -> Result<(), std::io::Error> {
    struct Running<'a>(&'a Gauge);
    impl Drop for Running<'_> {
        fn drop(&mut self) {
            self.0.running.fetch_sub(1, Ordering::SeqCst);
        }
    }
    let now = gauge.running.fetch_add(1, Ordering::SeqCst) + 1;
    gauge.peak.fetch_max(now, Ordering::SeqCst);
    let _running = Running(gauge);
    sleep(Duration::from_millis(ms)).await;
    gauge.done.fetch_add(1, Ordering::SeqCst);
    Ok(())
}

// The two `#[task_group(tg)]` fns. The attribute names the group handle, `tg`,
// a `taskgroup::TaskGroup<std::io::Error>`; the fn returns when its body and
// every child have ended.

/// A product page needs three back ends; pricing fails after 50 ms.
#[task_group(tg)]
async fn product_page() -> Result<String, ErrorGroup<std::io::Error>> {
    let inventory = tg.spawn_named("inventory", call("inventory", 400, false))?;
    let pricing = tg.spawn_named("pricing", call("pricing", 50, true))?;
    let reviews = tg.spawn_named("reviews", call("reviews", 400, false))?;
    Ok(format!(
        "{} | {} | {}",
        inventory.await?,
        pricing.await?,
        reviews.await?
    ))
}

/// Four 50 ms thumbnails, two at a time, then the 10 s original: the
/// deadline (300 ms) cuts it short.
#[task_group(tg, limit = 2, timeout = Duration::from_millis(300))]
async fn thumbnails(gauge: Arc<Gauge>) -> Result<(), ErrorGroup<std::io::Error>> {
    for _ in 0..4 {
        let gauge = gauge.clone();
        tg.spawn(async move { resize(&gauge, 50).await })?;
    }
    tg.spawn_named("original", async move { resize(&gauge, 10_000).await })?;
    Ok(())
}

fn heading(title: &str) {
    println!("\n== {title}\n");
}

/// Prints every failure of a group, one a line.
fn show_failures<E: std::fmt::Display>(errors: &ErrorGroup<E>) {
    println!("    Err(ErrorGroup) with {} failure(s):", errors.len());
    for failure in errors.iter() {
        println!("      {failure:#}");
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    heading("1. gather!: concurrent calls, results in input order");
    // Finishing order: orders (50 ms), prices (100 ms), users (150 ms).
    let (users, orders, prices) = taskgroup::gather!(
        call("users", 150, false),
        call("orders", 50, false),
        call("prices", 100, false),
    )
    .await?;
    println!("    ({users:?}, {orders:?}, {prices:?})");
    // asyncio's return_exceptions=True: every outcome, nothing cancelled.
    let (eu, us) = taskgroup::gather!(settled; call("eu", 50, false), call("us", 20, true)).await;
    println!("    settled: eu {eu:?}");
    println!("             us failed: {}", us.unwrap_err());

    heading("2. #[task_group(tg)]: the first failure cancels the siblings");
    let errors = product_page().await.expect_err("pricing fails");
    show_failures(&errors);
    println!(
        "    cancelled mid-await, not failures: {}",
        take_cancelled()
    );

    heading("3. #[task_group(tg, limit = 2, timeout = 300 ms)]");
    let gauge = Arc::new(Gauge::default());
    let errors = thumbnails(gauge.clone())
        .await
        .expect_err("the original outlives the deadline");
    println!(
        "    {} thumbnails resized, at most {} at a time; then the deadline:",
        gauge.done.load(Ordering::SeqCst),
        gauge.peak.load(Ordering::SeqCst)
    );
    show_failures(&errors);

    heading("4. the cancellation token and a grace period");
    let flushed: Arc<Mutex<Option<&str>>> = Default::default();
    let errors = taskgroup::Builder::new()
        .grace_period(Duration::from_millis(200))
        .scope(|tg| {
            let flushed = flushed.clone();
            async move {
                let token = tg.token();
                tg.spawn_named("writer", async move {
                    token.cancelled().await; // the group is ending: finish cleanly
                    sleep(Duration::from_millis(20)).await; // flush the buffer
                    *lock(&flushed) = Some("flushed its buffer and returned Ok");
                    Ok(())
                })?;
                tg.spawn_named("stubborn", call("stubborn", 10_000, false))?;
                tg.spawn_named("reader", call("reader", 50, true))?;
                Ok(())
            }
        })
        .await
        .expect_err("the reader fails");
    show_failures(&errors);
    println!(
        "    writer (watches tg.token()): {}",
        lock(&flushed).unwrap_or("was aborted")
    );
    println!(
        "    aborted when the 200 ms grace period ran out: {}",
        take_cancelled()
    );

    heading("5. as_completed: (index, result) in completion order");
    let mut done = taskgroup::as_completed([
        call("eu-mirror", 150, false),
        call("us-mirror", 50, true),
        call("ap-mirror", 100, false),
    ]);
    while let Some((index, result)) = done.next().await {
        match result {
            Ok(data) => println!("    [{index}] ok: {data}"),
            Err(TaskError::Failed(err)) => {
                println!("    [{index}] failed: {err} (cancels nothing)")
            }
            Err(other) => println!("    [{index}] {other}"),
        }
    }

    heading("6. the blocking check, run on this snippet (src/lib.rs)");
    for (n, line) in SNIPPET.lines().enumerate() {
        println!("{}", format!("    {:>2} | {line}", n + 1).trim_end());
    }
    println!();
    let read = |_: &Path| Ok(SNIPPET.to_string());
    let source = CrateSource::load_with(Path::new("src/lib.rs"), &read)?;
    for finding in check_crate(&source, &CheckOptions::default()) {
        println!("    {}: {}", finding.location, finding.message);
        if !finding.chain.is_empty() {
            println!("      call chain: {}", finding.chain_text());
        }
    }
    println!(
        "\n    #[deny_blocking], #[task_group] bodies and gather! arguments make the direct call\n    \
         a compile error; `cargo taskgroup check` checks a whole crate and follows sync helpers."
    );
    Ok(())
}

/// The source the tour checks: one blocking call made directly, one through
/// a sync helper.
const SNIPPET: &str = r#"async fn handler() -> String {
    std::thread::sleep(Duration::from_millis(5));
    let config = load_config();
    tokio::time::sleep(Duration::from_millis(5)).await;
    config
}

fn load_config() -> String {
    std::fs::read_to_string("app.toml").unwrap_or_default()
}"#;
