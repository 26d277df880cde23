//! A method of the crate's own type, followed by the receiver's declared
//! type: `Store::save` blocks, `Cache::save` (same name) does not.
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

pub async fn persist(store: &Store, cache: &Cache, bytes: Vec<u8>) {
    cache.save(&bytes);
    store.save(&bytes);
}
