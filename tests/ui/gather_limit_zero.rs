use taskgroup::gather;

async fn run() {
    let _ = gather!(limit = 0; async { Ok::<_, ()>(1) }).await;
}

fn main() {
    let _ = run();
}
