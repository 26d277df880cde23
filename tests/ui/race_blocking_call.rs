use std::time::Duration;

use taskgroup::race;

async fn run() {
    let _ = race!(
        async { Err::<u8, _>("refused") },
        async {
            std::thread::sleep(Duration::from_millis(10));
            Ok(1)
        },
    )
    .await;
}

fn main() {
    let _ = run();
}
