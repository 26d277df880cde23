//! An async fn nobody annotated, using tokio's file API with `.await`.
pub async fn handler() -> String {
    tokio::fs::read_to_string("config.toml").await.unwrap()
}
