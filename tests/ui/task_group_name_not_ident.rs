use taskgroup::{ErrorGroup, task_group};

#[task_group(name = "group")]
async fn load() -> Result<(), ErrorGroup<std::io::Error>> {
    Ok(())
}

fn main() {
    let _ = load();
}
