use taskgroup::task_group;

#[task_group(tg)]
async fn load() {
    tg.spawn(async { Ok::<_, std::io::Error>(()) }).unwrap();
}

fn main() {
    let _ = load();
}
