use taskgroup::gather;

async fn run(n: usize) {
    let _ = gather!(limit = n; async { Ok::<_, ()>(1) }).await;
}

fn main() {
    let _ = run(2);
}
