//! A tokio mutex guard across an `.await` is what tokio's lock is for.
use tokio::sync::Mutex;

pub async fn bump(counter: &Mutex<u64>) {
    let mut guard = counter.lock().await;
    *guard += 1;
    tokio::task::yield_now().await;
    *guard += 1;
}
