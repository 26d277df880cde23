use taskgroup::{ErrorGroup, task_group};

const WORKERS: usize = 4;

#[task_group(tg, limit = WORKERS)]
async fn load() -> Result<(), ErrorGroup<std::io::Error>> {
    tg.spawn(async { Ok(()) })?;
    Ok(())
}

fn main() {
    let _ = (load(), WORKERS);
}
