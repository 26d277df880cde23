use std::rc::Rc;
use std::time::Duration;

use taskgroup::{ErrorGroup, TaskError, gather};

async fn run() -> Result<(), ErrorGroup<std::io::Error>> {
    let (a, b) = gather!(async { Ok::<_, std::io::Error>(1u8) }, async { Ok("two") },).await?;
    let local = Rc::new(a);
    let (c,) = gather!(local, limit = 1, timeout = Duration::from_secs(1); async { Ok(*local + 1) }).await?;
    let (d, e): (Result<u8, TaskError<()>>, Result<&str, TaskError<String>>) =
        gather!(settled, limit = 2; async move { Ok(c) }, async move { Ok(b) }).await;
    let _ = (d, e);
    Ok(())
}

fn main() {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(run()).unwrap();
}
