use taskgroup::gather;

async fn run() {
    let _ = gather!(timeout = 5; async { Ok::<_, ()>(1) }).await;
}

fn main() {
    let _ = run();
}
