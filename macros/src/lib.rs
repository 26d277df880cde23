//! Procedural macros for [`taskgroup`](https://docs.rs/taskgroup): `gather!`,
//! `race!`, `#[task_group]`, `#[deny_blocking]` and `#[allow_blocking]`.
//!
//! Use them through the `taskgroup` crate, which re-exports them and provides
//! the runtime they expand to.

mod blocking;
mod gather;
mod options;
mod race;
mod task_group;

use proc_macro::TokenStream;

/// Rejects known blocking calls inside async code at compile time.
///
/// See the `taskgroup` crate documentation for the rules
/// ([the blocking check](https://docs.rs/taskgroup/latest/taskgroup/#the-blocking-check-and-its-limits))
/// and the APIs it knows
/// ([the blocking catalogue](https://docs.rs/taskgroup/latest/taskgroup/#the-blocking-catalogue)).
#[proc_macro_attribute]
pub fn deny_blocking(attr: TokenStream, item: TokenStream) -> TokenStream {
    let file = blocking::invoking_file();
    blocking::expand_deny_blocking(attr.into(), item.into(), file.as_deref()).into()
}

/// Marks an item as allowed to block; the blocking-call check skips it.
///
/// On statements and expressions inside checked code the checker removes the
/// attribute itself, so it needs no unstable features there.
#[proc_macro_attribute]
pub fn allow_blocking(attr: TokenStream, item: TokenStream) -> TokenStream {
    blocking::expand_allow_blocking(attr.into(), item.into()).into()
}

/// Runs futures concurrently as children of one task group and returns their
/// results in input order (asyncio's `gather`, with structured cancellation).
///
/// `gather!(a, b, c)` evaluates its arguments where it is written, in order,
/// and is a future of `Result<(A, B, C), ErrorGroup<E>>`. Each argument is a
/// future of `Result<_, E>` (the value types may differ, the error type is
/// shared) spawned as a child named `task-0`, `task-1`, .. by position. The
/// first failure (an `Err` or a panic) cancels the others, and every failure
/// comes back in the `ErrorGroup`.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// use taskgroup::gather;
///
/// async fn user(id: u32) -> Result<String, std::io::Error> { Ok(format!("user {id}")) }
/// async fn count() -> Result<usize, std::io::Error> { Ok(3) }
///
/// let (name, n) = gather!(user(7), count()).await.unwrap();
/// assert_eq!((name.as_str(), n), ("user 7", 3));
/// # }
/// ```
///
/// Options go before a `;` and combine:
///
/// - `settled`: nothing is cancelled; the result is a tuple of
///   `Result<T, TaskError<E>>`, one per argument (asyncio's
///   `return_exceptions=True`). Each argument may have its own error type.
/// - `local`: the futures are polled in place instead of spawned, so they
///   may borrow locals and need not be `Send` or `'static` (like
///   `tokio::try_join!`); the first failure drops the others, a panic is
///   reported as `TaskError::Panicked`. The future is `Send` when the
///   arguments are, so it can run inside `tokio::spawn`.
/// - `limit = N`: at most `N` arguments run at once; the others start in
///   order as running ones finish (with `local` too: later arguments are
///   not polled until a slot frees).
/// - `timeout = EXPR`: a `Duration` for the whole gather, counted from its
///   first poll. When it passes, the gather fails with a `TimedOut` member
///   named `deadline`; with `settled`, finished arguments keep their results
///   and unfinished ones are `Err(TaskError::TimedOut(..))`.
/// - `crate = path`: where to find the `taskgroup` crate, if renamed.
/// - `extra = [path, ..]`, `allow = [path, ..]`: tune the blocking-call
///   check, which every argument goes through (see `#[deny_blocking]`).
///
/// Options written without the `;` are a compile error saying where it goes.
/// A future in a variable named like a flag (`local`, `settled`) can lead an
/// empty option list: `gather!(; local, remote)`.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// use std::time::Duration;
/// use taskgroup::{TaskError, gather};
///
/// let mut log = Vec::new();
/// let config = String::from("retries=3");
/// // `local`: the arguments borrow `config` and `log`.
/// let (len, ()) = gather!(local, timeout = Duration::from_secs(5);
///     async { Ok::<_, std::io::Error>(config.len()) },
///     async { log.push("started"); Ok(()) },
/// )
/// .await
/// .unwrap();
/// assert_eq!((len, log.len()), (9, 1));
///
/// let (a, b) = gather!(settled, limit = 1;
///     async { Err::<u8, _>("refused") },
///     async { Ok::<_, std::io::Error>("ok") },
/// )
/// .await;
/// assert!(matches!(a, Err(TaskError::Failed("refused"))));
/// assert_eq!(b.unwrap(), "ok");
/// # }
/// ```
#[proc_macro]
pub fn gather(input: TokenStream) -> TokenStream {
    gather::gather(input.into()).into()
}

/// Runs futures concurrently and returns the first success; the others are
/// then cancelled, and the race returns once they have ended (asyncio's
/// `staggered_race`, Happy Eyeballs, Java's `anySuccessfulResultOrThrow`).
///
/// `race!(a, b, c)` evaluates its arguments where it is written, in order,
/// and is a future of `Result<T, ErrorGroup<E>>`. Every argument is a future
/// of the same `Result<T, E>`, spawned as a task named `task-0`, `task-1`, ..
/// by position. The first `Ok` wins. A failure (an `Err` or a panic) cancels
/// nothing; when every argument has failed, the `ErrorGroup` holds each
/// failure in argument order, the order they started in.
///
/// ```
/// # #[tokio::main(flavor = "current_thread", start_paused = true)] async fn main() {
/// use std::time::Duration;
/// use taskgroup::race;
///
/// async fn mirror(name: &'static str, ms: u64) -> Result<&'static str, std::io::Error> {
///     tokio::time::sleep(Duration::from_millis(ms)).await;
///     Ok(name)
/// }
///
/// let fastest = race!(mirror("eu", 80), mirror("us", 30)).await.unwrap();
/// assert_eq!(fastest, "us");
/// # }
/// ```
///
/// Options go before a `;` and combine:
///
/// - `stagger = EXPR`: a `Duration`; the arguments start one after another,
///   the next `EXPR` after the previous one started or as soon as it fails,
///   whichever comes first (RFC 8305's connection attempt delay).
///   `Duration::MAX` tries them one at a time.
/// - `timeout = EXPR`: a `Duration` for the whole race, counted from its
///   first poll. When it passes, the race fails with the failures so far
///   followed by a `TimedOut` member named `deadline`.
/// - `local`: the futures are polled in place instead of spawned, so they
///   may borrow locals and need not be `Send` or `'static`; the losers are
///   dropped before the race returns.
/// - `crate = path`: where to find the `taskgroup` crate, if renamed.
/// - `extra = [path, ..]`, `allow = [path, ..]`: tune the blocking-call
///   check, which every argument goes through (see `#[deny_blocking]`).
///
/// For a list of futures, use `taskgroup::race_all`.
///
/// ```
/// # #[tokio::main(flavor = "current_thread", start_paused = true)] async fn main() {
/// use std::time::Duration;
/// use taskgroup::race;
///
/// let refused = || async { Err::<u16, _>("connection refused") };
/// let slow = || async {
///     tokio::time::sleep(Duration::from_secs(10)).await;
///     Ok(443)
/// };
/// let started = tokio::time::Instant::now();
/// // The first fails at once, so the second starts at once too.
/// let port = race!(stagger = Duration::from_millis(250); refused(), slow()).await.unwrap();
/// assert_eq!((port, started.elapsed()), (443, Duration::from_secs(10)));
///
/// let hosts = vec!["a", "b"];
/// let err = race!(local, timeout = Duration::from_secs(1);
///     async { Err::<&str, _>(format!("{} is down", hosts[0])) },
///     std::future::pending::<Result<&str, String>>(),
/// )
/// .await
/// .unwrap_err();
/// assert_eq!(
///     format!("{err:#}"),
///     "2 tasks failed:\n  task `task-0` failed: a is down\n  task `deadline` failed: timed out after 1s"
/// );
/// # }
/// ```
#[proc_macro]
pub fn race(input: TokenStream) -> TokenStream {
    race::race(input.into()).into()
}

/// Runs an `async fn`'s body as the body of a task group.
///
/// The attribute names the group's handle, a [`TaskGroup<E>`] the body
/// spawns children with: `#[task_group(tg)]`, options after it
/// (`#[task_group(tg, limit = 4)]`). The fn returns once the body and every
/// child have ended: the body's value, or `Err(ErrorGroup)` with every
/// failure (the first failure cancels the rest). The declared return type
/// must be `Result<T, ErrorGroup<E>>`, under any alias or import name; inside
/// the body `?` works on `Result<_, E>`, on `Result<_, ErrorGroup<E>>`, on
/// spawn errors and on awaited handles.
///
/// [`TaskGroup<E>`]: https://docs.rs/taskgroup/latest/taskgroup/struct.TaskGroup.html
///
/// Works on free fns and on inherent or trait-impl methods (the body may
/// use `self`); generics, `where` clauses and other attributes are kept.
/// Options: `supervisor`, `limit = N`,
/// `timeout = EXPR` (a `Duration`), `grace_period = EXPR` (children see the
/// group's token cancelled and get that long before they are aborted),
/// `slow_poll = EXPR` (the slow-poll detector's threshold, in any build),
/// `crate = path`, and the blocking check's
/// `extra = [..]` / `allow = [..]`: the body is checked for blocking calls.
///
/// With `#[tokio::main]` or `#[tokio::test]`, put `#[task_group]` **above**
/// them: attributes expand top-down, and tokio turns the `async fn` into a
/// sync one.
///
/// ```
/// use std::time::Duration;
/// use taskgroup::{ErrorGroup, task_group};
///
/// struct Crawler { pages: Vec<&'static str> }
///
/// impl Crawler {
///     #[task_group(tg, limit = 2, timeout = Duration::from_secs(30))]
///     async fn sizes(&self) -> Result<Vec<usize>, ErrorGroup<std::io::Error>> {
///         let mut handles = Vec::new();
///         for page in self.pages.clone() {
///             handles.push(tg.spawn_named(page, async move { Ok(page.len()) })?);
///         }
///         let mut sizes = Vec::new();
///         for handle in handles {
///             sizes.push(handle.await?);
///         }
///         Ok(sizes)
///     }
/// }
///
/// #[task_group(tg)]
/// #[tokio::main(flavor = "current_thread")]
/// async fn main() -> Result<(), ErrorGroup<std::io::Error>> {
///     let crawler = Crawler { pages: vec!["/", "/about"] };
///     assert_eq!(crawler.sizes().await?, [1, 6]);
///     tg.spawn(async { Ok(()) })?;
///     Ok(())
/// }
/// ```
#[proc_macro_attribute]
pub fn task_group(attr: TokenStream, item: TokenStream) -> TokenStream {
    let file = blocking::invoking_file();
    task_group::task_group_in(attr.into(), item.into(), file.as_deref()).into()
}
