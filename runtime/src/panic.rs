//! Panics of user code the library runs: a child's poll, a destructor.
//! Each is caught where it happens and reported as a named member of the
//! group's error, so no panic escapes a scope or a gather unnamed.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::task::Poll;

/// The panic message of a caught panic payload.
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&'static str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic with a non-string payload".to_string()
    }
}

/// Runs `f`, returning the message of a panic in it.
#[inline]
pub(crate) fn caught(f: impl FnOnce()) -> Option<String> {
    catch_unwind(AssertUnwindSafe(f))
        .err()
        .map(|payload| panic_message(&*payload))
}

/// Drops `value`, returning the message of a panic in its destructor.
pub(crate) fn drop_caught<T>(value: T) -> Option<String> {
    caught(move || drop(value))
}

/// One poll of a user's future, for a group's child and for a gather's
/// argument alike: `poll` polls it; once it ends, by returning or by
/// panicking, `drop_future` drops it, also inside `catch_unwind`, so a panic
/// in its destructor is the future's panic too. `Ready(Err)` holds the
/// message of the first panic; a second one (a destructor panicking after
/// `poll` did) is dropped with it.
#[inline(always)]
pub(crate) fn poll_then_drop<S: ?Sized, O>(
    mut state: Pin<&mut S>,
    poll: impl FnOnce(Pin<&mut S>) -> Poll<O>,
    drop_future: impl FnOnce(Pin<&mut S>),
) -> Poll<Result<O, String>> {
    let polled = match catch_unwind(AssertUnwindSafe(|| poll(state.as_mut()))) {
        Ok(Poll::Pending) => return Poll::Pending,
        Ok(Poll::Ready(output)) => Ok(output),
        Err(payload) => Err(payload),
    };
    let dropped = caught(|| drop_future(state.as_mut()));
    Poll::Ready(match (polled, dropped) {
        (Ok(output), None) => Ok(output),
        (Ok(output), Some(message)) => {
            // The output nobody will see: its own destructor's panic is
            // the second one, dropped.
            let _ = drop_caught(output);
            Err(message)
        }
        (Err(payload), _) => Err(panic_message(&*payload)),
    })
}
