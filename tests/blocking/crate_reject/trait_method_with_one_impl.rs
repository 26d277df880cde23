//! A trait method called on a trait object: the trait has one impl, so the
//! call reaches it.
pub trait Repo {
    fn load(&self, key: &str) -> Vec<u8>;
}

pub struct DiskRepo;

impl Repo for DiskRepo {
    fn load(&self, key: &str) -> Vec<u8> {
        std::fs::read(key).unwrap_or_default()
    }
}

pub async fn fetch(repo: &dyn Repo, key: &str) -> Vec<u8> {
    repo.load(key)
}
