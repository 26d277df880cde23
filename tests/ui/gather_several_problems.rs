use taskgroup::gather;

async fn run() {
    let _ = gather!(limit = 0, bogus, limit = 2;).await;
}

fn main() {
    let _ = run();
}
