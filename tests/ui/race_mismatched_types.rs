use taskgroup::race;

async fn run() {
    let _ = race!(
        async { Ok::<u16, std::io::Error>(443) },
        async { Ok::<&str, std::io::Error>("443") },
    )
    .await;
}

fn main() {
    let _ = run();
}
