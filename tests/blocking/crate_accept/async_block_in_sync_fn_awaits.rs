//! An async block built in a sync fn that only awaits.
use std::time::Duration;

pub fn start() {
    tokio::spawn(async {
        tokio::time::sleep(Duration::from_secs(1)).await;
    });
}
