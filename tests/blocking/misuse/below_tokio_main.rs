//! Placed below `#[tokio::main]`, the check sees tokio's wrapper and says so.
use taskgroup::deny_blocking;

#[tokio::main]
#[deny_blocking]
async fn main() {
    tokio::time::sleep(std::time::Duration::from_millis(1)).await;
}
