//! Two cfg'd definitions of one fn: every branch counts, and the non-unix
//! one blocks.
#[cfg(unix)]
fn helper(_path: &str) {}

#[cfg(not(unix))]
fn helper(path: &str) {
    std::fs::read(path).unwrap();
}

pub async fn handler() {
    helper("data");
}
