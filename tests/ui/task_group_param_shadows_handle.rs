use taskgroup::{ErrorGroup, task_group};

#[task_group(tg)]
async fn load(tg: u32) -> Result<u32, ErrorGroup<std::io::Error>> {
    Ok(tg)
}

fn main() {
    let _ = load(1);
}
