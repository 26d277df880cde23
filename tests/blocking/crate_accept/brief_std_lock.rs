//! A std lock taken and released before the `.await`.
use std::sync::Mutex;

pub async fn bump(counter: &Mutex<u64>) {
    *counter.lock().unwrap() += 1;
    tokio::task::yield_now().await;
}
