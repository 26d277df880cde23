use taskgroup::{ErrorGroup, task_group};

async fn parse() -> Result<u32, std::num::ParseIntError> {
    "42".parse()
}

#[task_group(tg)]
async fn load() -> Result<u32, ErrorGroup<std::io::Error>> {
    let group = tg.clone();
    let n = tg.spawn(async move {
        let sibling = group.spawn_sibling(parse()).await;
        Ok(sibling.await.unwrap_or(0))
    })?;
    Ok(n.await?)
}

fn main() {
    let _ = load();
}
