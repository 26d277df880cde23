//! Structured concurrency for tokio, the way asyncio taught it.
//!
//! - [`scope`] runs a body with a [`TaskGroup`]: children spawned into it
//!   belong to one operation. The scope returns only when every child has
//!   ended; the first failure (an `Err` or a panic) cancels the rest, and every
//!   failure comes back in one [`ErrorGroup`], none lost.
//! - [`gather_all`] and [`gather_settled`] run a list of futures concurrently
//!   and return their results in input order.
//! - The macros (`gather!`, `#[task_group]`, `#[deny_blocking]`) put the same
//!   ideas into syntax, and reject blocking calls in async code at compile time.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! let pages = taskgroup::scope(|tg| async move {
//!     let home = tg.spawn_named("home", async { Ok::<_, std::io::Error>("<html>") })?;
//!     let about = tg.spawn_named("about", async { Ok("<html>about") })?;
//!     Ok((home.await?, about.await?))
//! })
//! .await
//! .unwrap();
//! assert_eq!(pages.0, "<html>");
//! # }
//! ```
//!
//! ## Coming from asyncio
//!
//! | asyncio | taskgroup |
//! |---|---|
//! | `async with asyncio.TaskGroup() as tg:` | `taskgroup::scope(\|tg\| async move { .. })` |
//! | `tg.create_task(coro)` | `tg.spawn(fut)?` / `tg.spawn_named(name, fut)?` |
//! | `ExceptionGroup` | [`ErrorGroup`] |
//! | `except* ValueError` | [`ErrorGroup::split`] |
//! | `asyncio.gather(*aws)` | [`gather_all`], which also cancels the rest on failure |
//! | `gather(*aws, return_exceptions=True)` | [`gather_settled`] |
//! | `task.cancel()` | [`TaskHandle::abort`] |
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[doc(hidden)]
#[path = "macro_support.rs"]
pub mod __private;
mod as_completed;
mod error;
mod gather;
mod group;
mod observe;

pub use as_completed::{AsCompleted, as_completed};
pub use error::{Cancelled, ErrorGroup, Failure, SpawnError, SpawnErrorKind, TaskError, TaskName};
pub use gather::{gather_all, gather_settled};
pub use group::{Builder, TaskGroup, TaskHandle, scope};
pub use tokio_util::sync::CancellationToken;

#[cfg(feature = "macros")]
pub use taskgroup_macros::{allow_blocking, deny_blocking};
