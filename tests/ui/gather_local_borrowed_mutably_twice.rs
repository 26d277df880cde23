use taskgroup::gather;

async fn run() {
    let mut log = Vec::new();
    let _ = gather!(local;
        async { log.push(1); Ok::<_, ()>(()) },
        async { log.push(2); Ok::<_, ()>(()) },
    )
    .await;
}

fn main() {
    let _ = run();
}
