use taskgroup::gather;

async fn run() {
    let _ = gather!().await;
}

fn main() {
    let _ = run();
}
