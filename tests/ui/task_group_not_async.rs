use taskgroup::{ErrorGroup, task_group};

#[task_group]
fn load() -> Result<(), ErrorGroup<std::io::Error>> {
    tg.spawn(async { Ok(()) })?;
    Ok(())
}

fn main() {
    let _ = load();
}
