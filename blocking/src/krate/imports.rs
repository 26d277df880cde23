//! `use` items across modules. Each module's imports are flattened to
//! `use <path> as <name>;`, with a path into the crate replaced by what it
//! re-exports (`use crate::prelude::fs;` where the prelude has
//! `pub use std::fs;` becomes `use std::fs as fs;`), and a glob of a crate
//! module spelled out name by name. The per-module resolution of the
//! checker then needs to know nothing of other modules.

use std::collections::{HashMap, HashSet};

use syn::{Item, UseTree};

use super::tree::Module;
use crate::scope::{item_name, use_leaves};

/// One imported name: `alias` stands for `target` (a crate path starts
/// with `crate`), or all of `target`'s names when `glob`.
#[derive(Clone)]
struct Leaf {
    alias: String,
    target: Vec<String>,
    glob: bool,
}

/// Rewrites every module's `use` items as described above.
pub(crate) fn flatten(modules: &mut [Module]) {
    let by_path: HashMap<Vec<String>, usize> = modules
        .iter()
        .enumerate()
        .map(|(i, m)| (m.path.clone(), i))
        .collect();
    let leaves: Vec<Vec<Leaf>> = modules.iter().map(|m| leaves_of(m, modules)).collect();
    let locals: Vec<Vec<String>> = modules.iter().map(|m| local_names(&m.items)).collect();
    let table = Table {
        by_path: &by_path,
        leaves: &leaves,
        locals: &locals,
    };
    for (i, module) in modules.iter_mut().enumerate() {
        let mut imports: Vec<(String, Vec<String>)> = Vec::new();
        let mut seen = HashSet::from([i]);
        for leaf in leaves[i].iter().filter(|l| l.glob) {
            table.expand_glob(&leaf.target, &mut imports, &mut seen);
        }
        for leaf in leaves[i].iter().filter(|l| !l.glob) {
            imports.push((leaf.alias.clone(), table.resolve(&leaf.target, 0)));
        }
        let mut items: Vec<Item> = Vec::with_capacity(module.items.len() + imports.len());
        for item in std::mem::take(&mut module.items) {
            if !matches!(item, Item::Use(_)) {
                items.push(item);
            }
        }
        // Outside globs stay globs: the checker reads them as it always has.
        for leaf in leaves[i].iter().filter(|l| l.glob && !is_crate(&l.target)) {
            if let Some(item) = use_item(&format!("{}::*", leaf.target.join("::"))) {
                items.push(item);
            }
        }
        for (alias, target) in imports {
            if let Some(item) = use_item(&format!("{} as {alias}", target.join("::"))) {
                items.push(item);
            }
        }
        module.items = items;
    }
}

struct Table<'t> {
    by_path: &'t HashMap<Vec<String>, usize>,
    leaves: &'t [Vec<Leaf>],
    locals: &'t [Vec<String>],
}

/// Chains of re-exports are short; this bounds cycles.
const MAX_DEPTH: usize = 16;

impl Table<'_> {
    /// Follows a crate path through re-exports to an outside path, or
    /// returns it as it is (a crate item, or nothing known).
    fn resolve(&self, target: &[String], depth: usize) -> Vec<String> {
        if !is_crate(target) || depth > MAX_DEPTH {
            return target.to_vec();
        }
        let rest = &target[1..];
        // The longest prefix naming a module; the next segment is a name in it.
        for split in (0..rest.len()).rev() {
            let Some(&m) = self.by_path.get(&rest[..split]) else {
                continue;
            };
            let name = &rest[split];
            if self.locals[m].contains(name) {
                return target.to_vec();
            }
            if let Some(leaf) = self.leaves[m].iter().find(|l| !l.glob && &l.alias == name) {
                let mut full = leaf.target.clone();
                full.extend_from_slice(&rest[split + 1..]);
                return self.resolve(&full, depth + 1);
            }
            // A name brought in by a glob of another crate module.
            for glob in self.leaves[m]
                .iter()
                .filter(|l| l.glob && is_crate(&l.target))
            {
                let Some(&g) = self.by_path.get(&glob.target[1..]) else {
                    continue;
                };
                let defines = self.locals[g].contains(name)
                    || self.leaves[g].iter().any(|l| !l.glob && &l.alias == name);
                if defines && g != m {
                    let mut full = glob.target.clone();
                    full.extend_from_slice(&rest[split..]);
                    return self.resolve(&full, depth + 1);
                }
            }
            return target.to_vec();
        }
        target.to_vec()
    }

    /// What `use <target>::*;` brings in when `target` is a crate module:
    /// its items (as crate paths) and its imports (resolved).
    /// `seen`: the modules expanded already, so glob cycles (a child's
    /// `use super::*` and its parent's `pub use child::*`) end at once.
    fn expand_glob(
        &self,
        target: &[String],
        out: &mut Vec<(String, Vec<String>)>,
        seen: &mut HashSet<usize>,
    ) {
        if !is_crate(target) {
            return;
        }
        let Some(&m) = self.by_path.get(&target[1..]) else {
            return;
        };
        if !seen.insert(m) {
            return;
        }
        for leaf in &self.leaves[m] {
            if leaf.glob {
                self.expand_glob(&leaf.target, out, seen);
            } else {
                out.push((leaf.alias.clone(), self.resolve(&leaf.target, 0)));
            }
        }
        for name in &self.locals[m] {
            let mut path = target.to_vec();
            path.push(name.clone());
            out.push((name.clone(), path));
        }
    }
}

fn is_crate(path: &[String]) -> bool {
    path.first().is_some_and(|s| s == "crate")
}

fn use_item(body: &str) -> Option<Item> {
    syn::parse_str(&format!("use {body};")).ok()
}

/// The names a module's own items define (what a glob of it brings in).
fn local_names(items: &[Item]) -> Vec<String> {
    items
        .iter()
        .filter_map(|item| item_name(item).map(ToString::to_string))
        .collect()
}

/// A module's imports, targets made absolute: `crate::..` for the crate's
/// own paths (`self::`, `super::`, a child module's name), as written for
/// outside ones.
fn leaves_of(module: &Module, modules: &[Module]) -> Vec<Leaf> {
    let locals = local_names(&module.items);
    let mut out = Vec::new();
    for item in &module.items {
        if let Item::Use(u) = item {
            collect(&u.tree, &mut out);
        }
    }
    for leaf in &mut out {
        leaf.target = absolute(&leaf.target, module, modules, &locals);
    }
    out
}

fn collect(tree: &UseTree, out: &mut Vec<Leaf>) {
    use_leaves(tree, Vec::new(), &mut |alias, target| {
        out.push(Leaf {
            glob: alias.is_none(),
            alias: alias.unwrap_or_default(),
            target,
        })
    });
}

fn absolute(
    target: &[String],
    module: &Module,
    modules: &[Module],
    locals: &[String],
) -> Vec<String> {
    let Some(first) = target.first() else {
        return target.to_vec();
    };
    let mut base: Vec<String> = module.path.clone();
    let mut rest = target;
    match first.as_str() {
        "crate" => return target.to_vec(),
        "self" => rest = &target[1..],
        "super" => {
            let mut at = Some(module);
            while rest.first().is_some_and(|s| s == "super") {
                at = at.and_then(|m| m.parent).and_then(|p| modules.get(p));
                rest = &rest[1..];
            }
            base = at.map(|m| m.path.clone()).unwrap_or_default();
        }
        name if locals.iter().any(|l| l == name) => {}
        _ => return target.to_vec(),
    }
    let mut full = vec!["crate".to_string()];
    full.extend(base);
    full.extend_from_slice(rest);
    full
}
