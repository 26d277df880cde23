//! A blocking helper only called inside `spawn_blocking`.
fn load_config() -> String {
    std::fs::read_to_string("config.toml").unwrap_or_default()
}

pub async fn handler() -> String {
    let a = tokio::task::spawn_blocking(|| load_config()).await.unwrap();
    let b = tokio::task::spawn_blocking(load_config).await.unwrap();
    a + &b
}
