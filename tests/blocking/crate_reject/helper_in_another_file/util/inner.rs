//! Part of the `helper_in_another_file.rs` case.
pub fn deep(path: &str) -> Vec<u8> {
    std::fs::read(path).unwrap_or_default()
}
