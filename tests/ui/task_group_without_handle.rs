use taskgroup::{ErrorGroup, task_group};

#[task_group(limit = 2)]
async fn load() -> Result<u32, ErrorGroup<std::io::Error>> {
    Ok(tg.spawn(async { Ok(1) })?.await?)
}

fn main() {
    let _ = load();
}
