//! Two types with a `save`: the receiver's declared type is the one that
//! does not block.
pub struct Store {
    path: String,
}

pub struct Cache;

impl Store {
    pub fn save(&self, bytes: &[u8]) {
        std::fs::write(&self.path, bytes).unwrap();
    }
}

impl Cache {
    pub fn save(&self, _bytes: &[u8]) {}
}

pub async fn remember(cache: &Cache, bytes: Vec<u8>) {
    cache.save(&bytes);
}
