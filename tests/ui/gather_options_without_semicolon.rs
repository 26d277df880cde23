use taskgroup::gather;

async fn run() {
    let _ = gather!(settled, async { Ok::<_, ()>(1) }, async { Ok::<_, ()>(2) }).await;
}

fn main() {
    let _ = run();
}
