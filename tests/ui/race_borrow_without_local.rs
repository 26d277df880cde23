use taskgroup::race;

async fn run() {
    let hosts = vec!["a".to_string(), "b".to_string()];
    let _ = race!(
        async { Ok::<_, ()>(hosts[0].len()) },
        async { Ok(hosts[1].len()) },
    )
    .await;
}

fn main() {
    let _ = run();
}
