use std::time::Duration;

use taskgroup::gather;

async fn run() {
    let _ = gather!(async {
        std::thread::sleep(Duration::from_millis(10));
        Ok::<_, ()>(())
    })
    .await;
}

fn main() {
    let _ = run();
}
