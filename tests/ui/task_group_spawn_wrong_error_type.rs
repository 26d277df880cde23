use taskgroup::{ErrorGroup, task_group};

async fn parse() -> Result<u32, std::num::ParseIntError> {
    "42".parse()
}

#[task_group(tg)]
async fn load() -> Result<u32, ErrorGroup<std::io::Error>> {
    let n = tg.spawn(parse())?;
    Ok(n.await?)
}

fn main() {
    let _ = load();
}
