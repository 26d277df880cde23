use taskgroup::{ErrorGroup, task_group};

#[task_group(tg)]
async fn load() -> Result<(), ErrorGroup<std::io::Error>> {
    let first = tg;
    tg.spawn(async { Ok(()) })?;
    drop(first);
    Ok(())
}

fn main() {
    let _ = load();
}
