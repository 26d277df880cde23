//! Two types of the crate have a `save`; the one the parameter is declared
//! as does not block, so the call is fine although `Store::save` blocks.
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
    fn save(&self) -> usize {
        self.rows.len()
    }
}

#[deny_blocking]
async fn autosave(draft: &std::sync::Arc<Draft>) -> usize {
    draft.save()
}

fn main() {}
