use taskgroup::{ErrorGroup, task_group};

#[task_group(tg, timeout = 5)]
async fn load() -> Result<(), ErrorGroup<std::io::Error>> {
    Ok(())
}

fn main() {
    let _ = load();
}
