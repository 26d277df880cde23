use taskgroup::race;

async fn run() {
    let _: Result<u8, taskgroup::ErrorGroup<()>> = race!(local;).await;
}

fn main() {
    let _ = run();
}
