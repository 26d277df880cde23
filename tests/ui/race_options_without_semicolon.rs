use taskgroup::race;

async fn run() {
    let _ = race!(stagger = std::time::Duration::from_millis(250), async { Ok::<_, ()>(1) }).await;
}

fn main() {
    let _ = run();
}
