use std::time::Duration;

use taskgroup::{ErrorGroup, gather, task_group};

struct Store {
    prefix: String,
}

impl Store {
    #[task_group(tg, supervisor, limit = 2, timeout = Duration::from_secs(3))]
    async fn keys(&self, n: u32) -> Result<Vec<String>, ErrorGroup<std::io::Error>> {
        let mut handles = Vec::new();
        for i in 0..n {
            let key = format!("{}{i}", self.prefix);
            handles.push(tg.spawn(async move { Ok(key) })?);
        }
        let mut out = Vec::new();
        for h in handles {
            out.push(h.await?);
        }
        Ok(out)
    }
}

#[task_group(group)]
async fn warm(store: &Store) -> Result<usize, ErrorGroup<std::io::Error>> {
    // An explicit exception to the blocking check: the marker is stripped.
    #[taskgroup::allow_blocking]
    std::thread::sleep(Duration::from_millis(1));
    let (keys,) = gather!(local; store.keys(3)).await.map_err(|_| std::io::Error::other("keys"))?;
    group.spawn(async { Ok(()) })?;
    Ok(keys.len())
}

#[task_group(tg)]
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), ErrorGroup<std::io::Error>> {
    let store = Store { prefix: "k".into() };
    assert_eq!(warm(&store).await?, 3);
    tolerated().await?;
    tg.spawn(async { Ok(()) })?;
    Ok(())
}

// `allow` exempts a catalogue entry from the blocking check for one fn.
#[task_group(tg, allow = [std::thread::sleep])]
async fn tolerated() -> Result<(), ErrorGroup<std::io::Error>> {
    std::thread::sleep(Duration::from_millis(1));
    tg.spawn(async { Ok(()) })?;
    Ok(())
}
