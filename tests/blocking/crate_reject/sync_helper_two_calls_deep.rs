//! The crate's own sync helper, two calls below the async fn.
pub async fn handler() -> usize {
    load_config().len()
}

fn load_config() -> String {
    read_file("config.toml")
}

fn read_file(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}
