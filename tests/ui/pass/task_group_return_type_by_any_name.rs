//! The return type is the compiler's to read: aliases and renamed imports of
//! `Result` and `ErrorGroup` work, and the missing-return-type message's
//! suggestion compiles as written.

use std::result::Result as Res;
use taskgroup::ErrorGroup as Failures;
use taskgroup::task_group;

type Outcome<T> = Result<T, taskgroup::ErrorGroup<std::io::Error>>;

#[task_group(tg)]
async fn aliased() -> Outcome<u32> {
    Ok(tg.spawn(async { Ok(1) })?.await?)
}

#[task_group(group)]
async fn renamed() -> Res<u32, Failures<std::io::Error>> {
    Ok(group.spawn(async { Ok(2) })?.await?)
}

// What `#[task_group]` says to write for `async fn suggested()`.
#[task_group(tg)]
async fn suggested() -> Result<(), taskgroup::ErrorGroup<std::io::Error>> {
    tg.spawn(async { Ok(()) })?;
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    assert_eq!(aliased().await.unwrap(), 1);
    assert_eq!(renamed().await.unwrap(), 2);
    suggested().await.unwrap();
}
