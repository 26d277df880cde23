//! A blocking sync helper called from sync code only (and an async fn that
//! does not call it).
fn load_config() -> String {
    std::fs::read_to_string("config.toml").unwrap_or_default()
}

pub fn main_setup() -> usize {
    load_config().len()
}

pub async fn handler() -> usize {
    1
}
