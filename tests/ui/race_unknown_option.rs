use taskgroup::race;

async fn run() {
    let _ = race!(limit = 2; async { Ok::<_, ()>(1) }, async { Ok(2) }).await;
}

fn main() {
    let _ = run();
}
