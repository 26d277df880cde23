//! The failure types: what one task can fail with, and the group of all of them.
//!
//! The rooms: [`failure`] (one task's), [`group`] (all of a group's),
//! [`refused`] (a refused spawn, a handle without a value).

mod failure;
mod group;
mod refused;

pub use failure::{Failure, TaskError};
pub use group::ErrorGroup;
pub use refused::{Cancelled, SpawnError, SpawnErrorKind};

pub use crate::name::TaskName;

/// The name under which a group's own body appears in its errors.
pub(crate) const BODY_NAME: &str = "body";

/// The member name of a panic while dropping the outcome of a task handed
/// over to a group by a dropped owner (an `as_completed` stream, a gather).
pub(crate) const ORPHAN_NAME: &str = "orphan";

/// The member that stands for a group's or a gather's deadline
/// ([`TaskError::TimedOut`]).
pub(crate) const DEADLINE_NAME: &str = "deadline";
