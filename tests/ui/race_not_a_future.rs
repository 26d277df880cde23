use taskgroup::race;

async fn run() {
    let _ = race!(async { Ok::<_, ()>(1) }, 2).await;
}

fn main() {
    let _ = run();
}
