use taskgroup::{ErrorGroup, task_group};

#[tokio::main]
#[task_group(tg)]
async fn main() -> Result<(), ErrorGroup<std::io::Error>> {
    tg.spawn(async { Ok(()) })?;
    Ok(())
}
