//! Two cfg'd definitions of one fn, neither blocking.
#[cfg(unix)]
fn helper(path: &str) -> usize {
    path.len()
}

#[cfg(not(unix))]
fn helper(path: &str) -> usize {
    path.len() + 1
}

pub async fn handler() -> usize {
    helper("data")
}
