#[taskgroup::deny_blocking]
async fn load_config(path: &str) -> std::io::Result<String> {
    std::fs::read_to_string(path)
}

fn main() {
    let _ = load_config("app.toml");
}
