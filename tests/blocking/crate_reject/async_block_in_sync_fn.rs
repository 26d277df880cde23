//! An async block built in a sync fn runs on the executor.
use std::time::Duration;

pub fn start() {
    tokio::spawn(async {
        std::thread::sleep(Duration::from_secs(1));
    });
}
