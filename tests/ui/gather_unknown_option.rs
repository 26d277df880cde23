use taskgroup::gather;

async fn run() {
    let _ = gather!(supervisor; async { Ok::<_, ()>(1) }).await;
}

fn main() {
    let _ = run();
}
