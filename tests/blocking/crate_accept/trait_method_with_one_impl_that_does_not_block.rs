//! A trait method with one impl, which does not block.
pub trait Repo {
    fn load(&self, key: &str) -> Vec<u8>;
}

pub struct MemRepo(Vec<u8>);

impl Repo for MemRepo {
    fn load(&self, _key: &str) -> Vec<u8> {
        self.0.clone()
    }
}

pub async fn fetch(repo: &dyn Repo, key: &str) -> Vec<u8> {
    repo.load(key)
}
