//! A call through an in-crate `pub use`, given as a path.
mod disk {
    pub fn touch(path: &str) {
        std::fs::write(path, b"").unwrap();
    }
}

pub use disk::touch;

pub async fn handler() {
    crate::touch("stamp");
}
