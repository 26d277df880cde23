#![doc = include_str!("guide.md")]
#![doc = "<details><summary>The catalogue</summary>\n"]
#![doc = include_str!("../BLOCKING_CATALOGUE.md")]
#![doc = "\n</details>"]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[doc(hidden)]
#[path = "macro_support.rs"]
pub mod __private;
mod as_completed;
mod builder;
mod deadline;
mod error;
mod gather;
mod group;
mod limit;
mod name;
mod observe;
mod orphans;
mod panic;
mod race;
#[cfg(feature = "tree")]
mod tree;

pub use as_completed::{AsCompleted, as_completed};
pub use builder::Builder;
pub use error::{Cancelled, ErrorGroup, Failure, SpawnError, SpawnErrorKind, TaskError, TaskName};
pub use gather::{gather_all, gather_settled};
pub use group::{SpawnSibling, TaskGroup, TaskHandle, scope};
pub use race::race_all;
pub use tokio_util::sync::CancellationToken;
#[cfg(feature = "tree")]
pub use tree::{Child, ChildState, Group, GroupKind, GroupState, TaskTree, tree};

#[cfg(feature = "macros")]
pub use taskgroup_macros::{allow_blocking, deny_blocking, gather, race, task_group};
