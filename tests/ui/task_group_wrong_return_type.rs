use taskgroup::task_group;

#[task_group(tg)]
async fn load() -> Result<u32, std::io::Error> {
    Ok(tg.spawn(async { Ok(1) })?.await?)
}

fn main() {
    let _ = load();
}
