//! A std mutex guard alive across an `.await`: it holds the lock (and can
//! block other tasks' threads) while this task sleeps.
use std::sync::Mutex;

pub async fn bump(counter: &Mutex<u64>) {
    let mut guard = counter.lock().unwrap();
    *guard += 1;
    tokio::task::yield_now().await;
    *guard += 1;
}
