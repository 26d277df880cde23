//! The typical asyncio service pattern, ported: fetch from several back ends
//! at once, combine their answers, and fail together.
//!
//! The asyncio original:
//!
//! ```python
//! async def dashboard(user_id: int) -> Dashboard:
//!     async with asyncio.timeout(0.5):
//!         async with asyncio.TaskGroup() as tg:
//!             profile = tg.create_task(fetch_profile(user_id))
//!             orders = tg.create_task(fetch_orders(user_id))
//!             recs = tg.create_task(fetch_recommendations(user_id))
//!     # Every task has succeeded here: combine.
//!     return Dashboard(profile.result(), orders.result(), recs.result())
//!
//! async def handle(user_id: int) -> tuple[int, str]:
//!     try:
//!         d = await dashboard(user_id)
//!     except TimeoutError:  # from asyncio.timeout
//!         return 504, "a back end was too slow"
//!     except ExceptionGroup as eg:  # from the TaskGroup
//!         down, rest = eg.split(BackendDown)
//!         if rest is not None:
//!             raise rest
//!         return 503, f"unavailable: {down.exceptions}"
//!     return 200, f"{d.name} has orders {d.orders}, might like {d.recommendations}"
//! ```
//!
//! The taskgroup version below keeps that shape: `#[task_group]` is
//! `async with TaskGroup() as tg`, its `timeout` is `asyncio.timeout`,
//! `spawn_named` is `create_task`, and `ErrorGroup::split` is `ExceptionGroup.split`. The
//! deadline is one more member of the `ErrorGroup` (named `deadline`) rather
//! than a separate exception.
//!
//! Run with `cargo run --example service`.

use std::fmt;
use std::time::{Duration, Instant};

use taskgroup::{ErrorGroup, TaskError, task_group};
use tokio::time::sleep;

/// What one back end can say instead of an answer.
#[derive(Debug)]
enum BackendError {
    Down(&'static str),
}

impl fmt::Display for BackendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BackendError::Down(backend) => write!(f, "{backend} back end answered 503"),
        }
    }
}

impl std::error::Error for BackendError {}

#[derive(Debug)]
struct Dashboard {
    name: String,
    orders: Vec<u32>,
    recommendations: Vec<&'static str>,
}

/// The whole request, as in the asyncio version: three back ends at once,
/// half a second for all of them together. The first failure cancels the
/// other calls, so a broken back end costs its own latency, not the slowest.
///
/// `#[task_group(tg)]` is `async with asyncio.TaskGroup() as tg`: it names
/// the handle `tg` and returns only when every task has ended. Without the macro, the same is
/// `Builder::new().timeout(..).scope(|tg| async move { .. }).await`.
///
/// `gather!` is shorter still, but names its tasks by position (`task-0`, ..),
/// which makes the ErrorGroup less telling:
///
/// ```ignore
/// let (name, orders, recommendations) = gather!(timeout = Duration::from_millis(500);
///     fetch_profile(user_id), fetch_orders(user_id), fetch_recommendations(user_id)
/// ).await?;
/// ```
#[task_group(tg, timeout = Duration::from_millis(500))]
async fn dashboard(user_id: u32) -> Result<Dashboard, ErrorGroup<BackendError>> {
    let profile = tg.spawn_named("profile", fetch_profile(user_id))?;
    let orders = tg.spawn_named("orders", fetch_orders(user_id))?;
    let recs = tg.spawn_named("recommendations", fetch_recommendations(user_id))?;
    // Awaiting a handle gives that task's value; if the group fails meanwhile,
    // this body is cancelled and the fn returns the ErrorGroup instead.
    Ok(Dashboard {
        name: profile.await?,
        orders: orders.await?,
        recommendations: recs.await?,
    })
}

/// Turns the dashboard, or the reasons there is none, into a response.
async fn handle(user_id: u32) -> (u16, String) {
    let errors = match dashboard(user_id).await {
        Ok(d) => {
            let Dashboard {
                name,
                orders,
                recommendations,
            } = d;
            return (
                200,
                format!("{name} has orders {orders:?}, might like {recommendations:?}"),
            );
        }
        Err(errors) => errors,
    };
    // Display lists every failure with the name of the task that failed.
    println!("  the ErrorGroup:\n    {}", indent(&format!("{errors:#}")));

    // asyncio's TimeoutError: the group's deadline passed.
    if errors
        .iter()
        .any(|f| matches!(f.error(), TaskError::TimedOut(_)))
    {
        return (504, "a back end was too slow".to_string());
    }
    // `down, rest = eg.split(BackendDown)`
    let (down, rest) =
        errors.split(|f| matches!(f.error().as_failed(), Some(BackendError::Down(_))));
    match (down, rest) {
        (Some(down), None) => {
            let names: Vec<String> = down.iter().map(|f| f.name().to_string()).collect();
            (503, format!("unavailable: {}", names.join(", ")))
        }
        // `raise rest`: anything else, a panic say, is a bug, not an outage.
        (_, Some(rest)) => (500, format!("internal error: {rest}")),
        (None, None) => unreachable!("an ErrorGroup is never empty"),
    }
}

#[tokio::main]
async fn main() {
    let scenarios = [
        (7, "every back end answers"),
        (13, "the recommendations back end is down"),
        (99, "the orders back end hangs past the deadline"),
    ];
    for (user_id, what) in scenarios {
        println!("\n== user {user_id}: {what}");
        let start = Instant::now();
        let (status, body) = handle(user_id).await;
        println!("  -> {status} {body}");
        println!("  (took {} ms)", start.elapsed().as_millis());
    }
}

// --- Simulated back ends ---------------------------------------------------
//
// Stand-ins for HTTP or database calls: each waits a while, then answers or
// fails depending on the user, and says what happened to it.

async fn fetch_profile(user_id: u32) -> Result<String, BackendError> {
    call("profile", 80, Ok(format!("user-{user_id}"))).await
}

async fn fetch_orders(user_id: u32) -> Result<Vec<u32>, BackendError> {
    let latency = if user_id == 99 { 5_000 } else { 150 };
    call("orders", latency, Ok(vec![1001, 1002 + user_id])).await
}

async fn fetch_recommendations(user_id: u32) -> Result<Vec<&'static str>, BackendError> {
    let answer = match user_id {
        13 => Err(BackendError::Down("recommendations")),
        _ => Ok(vec!["tokio in action", "structured concurrency"]),
    };
    call("recommendations", 40, answer).await
}

async fn call<T>(
    backend: &'static str,
    latency_ms: u64,
    answer: Result<T, BackendError>,
) -> Result<T, BackendError> {
    let mut notice = CancelNotice(Some(backend));
    sleep(Duration::from_millis(latency_ms)).await;
    notice.0 = None;
    let outcome = if answer.is_ok() { "answered" } else { "FAILED" };
    println!("  [{backend}] {outcome} after {latency_ms} ms");
    answer
}

/// Prints a line if dropped while still holding the back end's name: the
/// group cancelled the call (dropped its future) before it answered.
struct CancelNotice(Option<&'static str>);

impl Drop for CancelNotice {
    fn drop(&mut self) {
        if let Some(backend) = self.0 {
            println!("  [{backend}] cancelled before it answered");
        }
    }
}

fn indent(text: &impl fmt::Display) -> String {
    text.to_string().replace('\n', "\n    ")
}
