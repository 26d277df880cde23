use taskgroup::{ErrorGroup, task_group};

#[task_group(tg, limt = 4)]
async fn load() -> Result<(), ErrorGroup<std::io::Error>> {
    tg.spawn(async { Ok(()) })?;
    Ok(())
}

fn main() {
    let _ = load();
}
