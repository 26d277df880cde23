use taskgroup::{ErrorGroup, task_group};

#[task_group(name = group)]
async fn load() -> Result<(), ErrorGroup<std::io::Error>> {
    group.spawn(async { Ok(()) })?;
    Ok(())
}

fn main() {
    let _ = load();
}
