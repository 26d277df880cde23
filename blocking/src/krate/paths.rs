//! Crate paths to where they lead: `crate::touch` with `pub use
//! disk::touch;` at the root is `crate::disk::touch`, and
//! `crate::util::fs::read` with `pub use std::fs;` in `util` is
//! `std::fs::read`. A path is followed segment by segment, through each
//! module's child modules and its flattened `use` table (see `imports.rs`).

use std::collections::{HashMap, HashSet};

use syn::Item;

use super::tree::Module;
use crate::scope::{item_name, use_leaves};

/// Each module's names, by module path (cfg'd twins of a module share one).
#[derive(Default)]
struct Names {
    /// Names its own items define.
    items: HashSet<String>,
    /// Its imports: name to full path (`crate::..` or an outside path).
    uses: HashMap<String, Vec<String>>,
}

/// The modules of a crate, for following paths through re-exports.
#[derive(Default)]
pub(crate) struct CratePaths {
    modules: HashMap<Vec<String>, Names>,
}

/// Re-export chains are short; this bounds cycles (`pub use a::x;` in `b`
/// and `pub use b::x;` in `a`).
const MAX_HOPS: usize = 16;

impl CratePaths {
    /// Reads the modules' items and (flattened) `use` items.
    pub(crate) fn of(modules: &[Module]) -> Self {
        let mut paths = CratePaths::default();
        for module in modules {
            let names = paths.modules.entry(module.path.clone()).or_default();
            for item in &module.items {
                if let Item::Use(u) = item {
                    use_leaves(&u.tree, Vec::new(), &mut |alias, target| {
                        if let Some(alias) = alias {
                            names.uses.entry(alias).or_insert(target);
                        }
                    });
                } else if let Some(name) = item_name(item) {
                    names.items.insert(name.to_string());
                }
            }
        }
        paths
    }

    /// Where `path` (from the crate root, without `crate`) leads: a path
    /// starting with `crate` for the crate's own items, an outside path
    /// otherwise. A path nothing explains is returned as it is, under `crate`.
    pub(crate) fn canonical(&self, path: &[String]) -> Vec<String> {
        let mut current: Vec<String> = path.to_vec();
        let mut seen: HashSet<Vec<String>> = HashSet::new();
        for _ in 0..MAX_HOPS {
            if !seen.insert(current.clone()) {
                break;
            }
            match self.step(&current) {
                Next::Done(full) => return full,
                Next::Again(next) => current = next,
            }
        }
        with_crate(&current)
    }

    /// Follows `path` down child modules to its first imported segment.
    fn step(&self, path: &[String]) -> Next {
        let mut module: Vec<String> = Vec::new();
        for (i, seg) in path.iter().enumerate() {
            let Some(names) = self.modules.get(&module) else {
                return Next::Done(with_crate(path));
            };
            let mut child = module.clone();
            child.push(seg.clone());
            if names.items.contains(seg) && !self.modules.contains_key(&child) {
                // An item defined here (a fn, a type): the path is its own.
                return Next::Done(with_crate(path));
            }
            if self.modules.contains_key(&child) {
                module = child;
                continue;
            }
            let Some(target) = names.uses.get(seg) else {
                return Next::Done(with_crate(path));
            };
            let mut full = target.clone();
            full.extend_from_slice(&path[i + 1..]);
            return match full.first().map(String::as_str) {
                Some("crate") => Next::Again(full[1..].to_vec()),
                _ => Next::Done(full),
            };
        }
        Next::Done(with_crate(path))
    }
}

enum Next {
    Done(Vec<String>),
    Again(Vec<String>),
}

fn with_crate(path: &[String]) -> Vec<String> {
    let mut full = Vec::with_capacity(path.len() + 1);
    full.push("crate".to_string());
    full.extend_from_slice(path);
    full
}
