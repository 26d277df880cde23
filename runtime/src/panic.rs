//! Panics of user code the library runs: a child's poll, a destructor.
//! Each is caught where it happens and reported as a named member of the
//! group's error, so no panic escapes a scope or a gather unnamed.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};

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

/// Drops `value`, returning the message of a panic in its destructor.
pub(crate) fn drop_caught<T>(value: T) -> Option<String> {
    catch_unwind(AssertUnwindSafe(move || drop(value)))
        .err()
        .map(|payload| panic_message(&*payload))
}
