//! Two types of the crate have a `save`; the receivers here are built as,
//! or declared as, the one that does not block, so the calls are fine
//! although `Store::save` blocks.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

struct Store {
    path: String,
}

impl Store {
    fn save(&self) -> std::io::Result<()> {
        std::fs::write(&self.path, b"rows")
    }
}

struct Draft {
    rows: Vec<u8>,
}

impl Draft {
    fn open() -> Option<Self> {
        Some(Draft { rows: Vec::new() })
    }

    fn save(&self) -> usize {
        self.rows.len()
    }
}

struct Editor {
    draft: std::sync::Arc<Draft>,
}

impl Editor {
    #[deny_blocking]
    async fn autosave(&self, store: &Store) -> usize {
        let bound = Draft::open().expect("a draft");
        let chained = Draft::open().map_or(0, |d| d.save());
        if let Some(store) = Draft::open() {
            store.save();
        }
        bound.save() + chained + self.draft.save()
    }
}

fn main() {}
