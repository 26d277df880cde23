//! A std guard dropped before the `.await`, and one in a block that ends
//! before it.
use std::sync::{Mutex, RwLock};

pub async fn bump(counter: &Mutex<u64>, seen: &RwLock<Vec<u64>>) {
    let mut guard = counter.lock().unwrap();
    *guard += 1;
    drop(guard);
    {
        let list = seen.read().unwrap();
        let _ = list.len();
    }
    tokio::task::yield_now().await;
}
