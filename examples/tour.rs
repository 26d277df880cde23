//! The README's demo: gather, a task group failing together, settled mode,
//! and the compile-time blocking check. Runs in about a second.
//!
//! ```text
//! cargo run --example tour
//! ```

use std::time::{Duration, Instant};

use taskgroup::{ErrorGroup, TaskError};
use tokio::time::sleep;

/// Prints when the future holding it is dropped before it finished: how a
/// cancelled sibling shows up.
struct ReportCancel {
    name: &'static str,
    finished: bool,
}

impl Drop for ReportCancel {
    fn drop(&mut self) {
        if !self.finished {
            println!(
                "    {:<10} cancelled (its future was dropped mid-await)",
                self.name
            );
        }
    }
}

/// A pretend back-end call: takes `ms`, then answers or fails.
async fn call(name: &'static str, ms: u64, fail: bool) -> Result<String, std::io::Error> {
    let mut guard = ReportCancel {
        name,
        finished: false,
    };
    sleep(Duration::from_millis(ms)).await;
    guard.finished = true;
    println!("    {name:<10} finished after {ms} ms");
    if fail {
        Err(std::io::Error::other(format!("{name} returned HTTP 503")))
    } else {
        Ok(format!("{name} data"))
    }
}

fn heading(title: &str) {
    println!("\n== {title}\n");
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let started = Instant::now();

    heading("1. gather!: results in input order, whatever order tasks finish in");
    let (users, orders, prices) = taskgroup::gather!(
        call("users", 300, false),
        call("orders", 100, false),
        call("prices", 200, false),
    )
    .await?;
    println!("    results: [{users}, {orders}, {prices}]");

    heading("2. a task group: the first failure cancels its siblings");
    let result = taskgroup::scope(|tg| async move {
        tg.spawn_named("inventory", call("inventory", 400, false))?;
        tg.spawn_named("pricing", call("pricing", 50, true))?;
        tg.spawn_named("reviews", call("reviews", 400, false))?;
        Ok(())
    })
    .await;
    let errors: ErrorGroup<std::io::Error> = result.expect_err("pricing fails");
    println!("\n    the scope returned Err(ErrorGroup): {errors}; with {{:#}}, every failure:\n");
    for line in format!("{errors:#}").lines() {
        println!("      {line}");
    }

    heading("3. settled mode: every outcome, nothing cancelled (return_exceptions=True)");
    let outcomes = taskgroup::gather_settled([
        call("eu-mirror", 100, false),
        call("us-mirror", 50, true),
        call("ap-mirror", 150, false),
    ])
    .await;
    for (i, outcome) in outcomes.iter().enumerate() {
        match outcome {
            Ok(data) => println!("    [{i}] ok:     {data}"),
            Err(TaskError::Failed(err)) => println!("    [{i}] failed: {err}"),
            Err(other) => println!("    [{i}] {other}"),
        }
    }

    heading("4. the blocking check: a compile error, not a stalled server");
    println!("    #[taskgroup::deny_blocking]");
    println!("    async fn load_config(path: &str) -> std::io::Result<String> {{");
    println!("        std::fs::read_to_string(path)");
    println!("    }}\n");
    println!("    does not compile; rustc says:\n");
    for line in BLOCKING_MESSAGE.lines() {
        println!("      {line}");
    }

    println!("\ntour finished in {:.1?}", started.elapsed());
    Ok(())
}

/// The compiler's real output for the code above: a trybuild snapshot that the
/// test suite keeps equal to what rustc prints.
const BLOCKING_MESSAGE: &str = include_str!("../tests/tour/blocking.stderr");
