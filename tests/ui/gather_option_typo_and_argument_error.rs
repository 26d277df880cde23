use taskgroup::gather;

async fn run() {
    let _ = gather!(limt = 2; async { Ok::<u32, ()>("one") }).await;
}

fn main() {
    let _ = run();
}
