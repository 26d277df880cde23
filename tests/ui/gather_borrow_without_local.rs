use taskgroup::gather;

async fn run() {
    let name = String::from("config");
    let _ = gather!(async { Ok::<_, ()>(name.len()) }).await;
}

fn main() {
    let _ = run();
}
