use std::time::Duration;

use taskgroup::{ErrorGroup, task_group};

#[task_group(tg)]
async fn poll_forever() -> Result<(), ErrorGroup<std::io::Error>> {
    tg.spawn(async { Ok(()) })?;
    std::thread::sleep(Duration::from_millis(10));
    Ok(())
}

fn main() {
    let _ = poll_forever();
}
