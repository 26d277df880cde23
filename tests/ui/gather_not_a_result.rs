use taskgroup::gather;

async fn count() -> usize {
    3
}

async fn run() {
    let _ = gather!(count()).await;
}

fn main() {
    let _ = run();
}

async fn later_argument() {
    let _ = gather!(local; async { Ok::<_, ()>(1) }, count()).await;
}
