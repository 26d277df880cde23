use taskgroup::{ErrorGroup, task_group};

// A child that spawns a sibling moves the handle in: rustc names `tg` and
// suggests the clone, as it does for `scope(|tg| ..)`.
#[task_group(tg)]
async fn load() -> Result<(), ErrorGroup<std::io::Error>> {
    tg.spawn(async move {
        tg.spawn_sibling(async { Ok(()) }).await;
        Ok(())
    })?;
    tg.spawn(async { Ok(()) })?;
    Ok(())
}

fn main() {
    let _ = load();
}
