use taskgroup::gather;

async fn run() {
    let _ = gather!(local, limit = 2, local; async { Ok::<_, ()>(1) }).await;
}

fn main() {
    let _ = run();
}
