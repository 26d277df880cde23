//! Name resolution visible to an attribute macro: `use` items, local items
//! that shadow blocking names, and `let` bindings with a visibly blocking type.
//!
//! An attribute sees only its item's tokens, so resolution works on what is
//! inside: `use` items in the body and in an annotated inline `mod`.

use std::collections::{HashMap, HashSet};

use syn::{Item, UseTree};

use crate::types::Yields;

/// A tracked type: its canonical path (see `types.rs`).
pub(crate) type Ty = &'static str;

/// One lexical scope: a module, a function body, a block or a closure.
#[derive(Clone, Default)]
pub(crate) struct Frame {
    /// A module frame: `self::` resolves here and bare lookups stop here.
    pub(crate) module: bool,
    /// A module's path from the crate root, when a whole-crate front end
    /// knows it: user items then resolve to where they are defined.
    pub(crate) module_path: Option<Vec<String>>,
    /// A function boundary: `let` bindings outside are not seen (closures
    /// are no boundary: they capture).
    pub(crate) barrier: bool,
    /// `use` aliases: visible name to full path.
    uses: HashMap<String, Vec<String>>,
    /// Glob imports: `use std::fs::*;` stores `std::fs`.
    globs: Vec<Vec<String>>,
    /// Items defined here (fns, mods, types): they shadow blocking names.
    locals: HashSet<String>,
    /// Method names of `impl` blocks defined here.
    pub(crate) methods: HashSet<String>,
    /// Struct field types, by field name (`None` when ambiguous or untracked).
    pub(crate) fields: HashMap<String, Option<Yields>>,
    /// Return types of the fns and methods declared here, by name.
    pub(crate) returns: HashMap<String, Option<Yields>>,
    /// `let` bindings and parameters (`None` shadows an outer tracked one).
    pub(crate) vars: HashMap<String, Option<Yields>>,
    /// Bindings whose value is of one of the crate's own types, as far as
    /// the syntax shows (`store: &Arc<Store>`, `let s = Store::open()?`):
    /// the whole-crate check follows a method call on one into that type's
    /// method. Only names also in `vars`; rebinding a name clears it.
    pub(crate) own_types: HashMap<String, OwnType>,
}

/// The smart pointers a method call sees through.
pub(crate) const POINTERS: &[&str] = &["Arc", "Rc", "Box"];

/// The locks whose guard (`lock()`, `read()`, `write()`, `borrow()`,
/// `borrow_mut()`) a method call sees through: std's, tokio's, parking_lot's.
const LOCKS: &[&str] = &["Mutex", "RwLock", "RefCell"];

/// A value of one of the crate's own types: the last segment of the type
/// (through references, the smart pointers a method call sees through and
/// locks: `&Arc<Mutex<Store>>` is `Store`), and whether it is still inside a
/// `Result` or `Option` (`?`, `.unwrap()` or `.expect(..)` take it out).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct OwnType {
    pub(crate) name: String,
    pub(crate) wrapped: bool,
}

impl OwnType {
    /// The type a declaration names, `Self` being `self_ty`: `Result<Self,
    /// E>` in `impl Store` is a wrapped `Store`. `None` for what a method
    /// call does not see through (a tuple, a trait object, nested wrappers).
    pub(crate) fn of_syn(ty: &syn::Type, self_ty: Option<&str>) -> Option<OwnType> {
        match ty {
            syn::Type::Reference(r) => OwnType::of_syn(&r.elem, self_ty),
            syn::Type::Paren(p) => OwnType::of_syn(&p.elem, self_ty),
            syn::Type::Group(g) => OwnType::of_syn(&g.elem, self_ty),
            syn::Type::Path(tp) if tp.qself.is_none() => {
                let last = tp.path.segments.last()?;
                let name = last.ident.to_string();
                let wrapper = matches!(name.as_str(), "Result" | "Option");
                if !wrapper && !POINTERS.contains(&name.as_str()) && !LOCKS.contains(&name.as_str())
                {
                    return OwnType::named(name, self_ty);
                }
                let syn::PathArguments::AngleBracketed(a) = &last.arguments else {
                    return None;
                };
                let syn::GenericArgument::Type(inner) = a.args.first()? else {
                    return None;
                };
                let inner = OwnType::of_syn(inner, self_ty)?;
                match (wrapper, inner.wrapped) {
                    (false, _) => Some(inner),
                    (true, false) => Some(OwnType {
                        wrapped: true,
                        ..inner
                    }),
                    (true, true) => None,
                }
            }
            _ => None,
        }
    }

    /// A plain value of the type named `name`, `Self` being `self_ty`.
    pub(crate) fn named(name: String, self_ty: Option<&str>) -> Option<OwnType> {
        let name = match name.as_str() {
            "Self" => self_ty?.to_string(),
            _ => name,
        };
        Some(OwnType {
            name,
            wrapped: false,
        })
    }

    /// What `?`, `.unwrap()` or `.expect(..)` gives: the value inside a
    /// wrapped one; a plain one as it is (a std lock's guard comes in a
    /// `LockResult`, which is not tracked).
    pub(crate) fn unwrapped(self) -> OwnType {
        OwnType {
            wrapped: false,
            ..self
        }
    }
}

impl Frame {
    /// Binds `name` here, with its tracked type, hiding any own type an
    /// earlier binding of the name gave it.
    pub(crate) fn bind(&mut self, name: String, ty: Option<Yields>) {
        self.own_types.remove(&name);
        self.vars.insert(name, ty);
    }

    /// A function boundary: `let` bindings outside it are not seen.
    pub(crate) fn boundary() -> Self {
        Frame {
            barrier: true,
            ..Frame::default()
        }
    }

    /// A frame for a module or block holding `items`.
    pub(crate) fn with_items<'a>(items: impl IntoIterator<Item = &'a Item>, module: bool) -> Self {
        let mut frame = Frame {
            module,
            ..Frame::default()
        };
        for item in items {
            frame.add_item(item);
        }
        frame
    }

    fn add_item(&mut self, item: &Item) {
        match item {
            Item::Use(u) => self.add_use(&u.tree, Vec::new()),
            Item::ExternCrate(e) => {
                if let Some((_, alias)) = &e.rename {
                    self.uses
                        .insert(alias.to_string(), vec![e.ident.to_string()]);
                }
            }
            Item::Impl(imp) => {
                for it in &imp.items {
                    if let syn::ImplItem::Fn(f) = it {
                        self.methods.insert(f.sig.ident.to_string());
                    }
                }
            }
            Item::Trait(t) => {
                for it in &t.items {
                    if let syn::TraitItem::Fn(f) = it {
                        self.methods.insert(f.sig.ident.to_string());
                    }
                }
            }
            _ => {}
        }
        if let Some(name) = item_name(item) {
            self.locals.insert(name.to_string());
        }
    }

    fn add_use(&mut self, tree: &UseTree, prefix: Vec<String>) {
        use_leaves(tree, prefix, &mut |alias, path| match alias {
            Some(alias) => {
                self.uses.insert(alias, path);
            }
            None => self.globs.push(path),
        });
    }
}

/// Each name a `use` tree imports, after `prefix`: `(Some(alias), path)`,
/// or `(None, module path)` for a glob. `use x as _;` imports no name.
pub(crate) fn use_leaves(
    tree: &UseTree,
    mut prefix: Vec<String>,
    out: &mut dyn FnMut(Option<String>, Vec<String>),
) {
    match tree {
        UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            use_leaves(&p.tree, prefix, out);
        }
        UseTree::Name(n) if n.ident == "self" => {
            if let Some(last) = prefix.last().cloned() {
                out(Some(last), prefix);
            }
        }
        UseTree::Name(n) => {
            let name = n.ident.to_string();
            prefix.push(name.clone());
            out(Some(name), prefix);
        }
        UseTree::Rename(r) => {
            let alias = r.rename.to_string();
            if alias == "_" {
                return;
            }
            if r.ident != "self" {
                prefix.push(r.ident.to_string());
            }
            out(Some(alias), prefix);
        }
        UseTree::Glob(_) => out(None, prefix),
        UseTree::Group(g) => {
            for tree in &g.items {
                use_leaves(tree, prefix.clone(), out);
            }
        }
    }
}

/// The name an item defines in its module's namespace (`use`, `impl` and
/// `extern crate` items aside).
pub(crate) fn item_name(item: &Item) -> Option<&syn::Ident> {
    Some(match item {
        Item::Fn(f) => &f.sig.ident,
        Item::Mod(m) => &m.ident,
        Item::Struct(s) => &s.ident,
        Item::Enum(e) => &e.ident,
        Item::Union(u) => &u.ident,
        Item::Type(t) => &t.ident,
        Item::Const(c) => &c.ident,
        Item::Static(s) => &s.ident,
        Item::Trait(t) => &t.ident,
        Item::TraitAlias(t) => &t.ident,
        _ => return None,
    })
}

/// The outcome of resolving a path.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Resolution {
    /// The path names user code (a local item, `crate::`, `Self::`): its
    /// path from the crate root when the module frames know theirs.
    Local(Option<Vec<String>>),
    /// A `use` item (or an absolute path) gave the full path.
    Resolved(Vec<String>),
    /// Nothing visible says what the path means; it is returned as written.
    Unresolved(Vec<String>),
}

/// The stack of frames from the checked item down to the current block.
#[derive(Default)]
pub(crate) struct Scopes {
    frames: Vec<Frame>,
}

impl Scopes {
    pub(crate) fn push(&mut self, frame: Frame) {
        self.frames.push(frame);
    }

    pub(crate) fn pop(&mut self) {
        self.frames.pop();
    }

    pub(crate) fn top(&mut self) -> Option<&mut Frame> {
        self.frames.last_mut()
    }

    /// Index of the innermost module frame at or below `from`.
    fn module_at(&self, from: usize) -> Option<usize> {
        (0..=from.min(self.frames.len().checked_sub(1)?))
            .rev()
            .find(|&i| self.frames[i].module)
    }

    /// Resolves `segs` as written in the current scope. `known` tells whether
    /// a glob-imported candidate path is worth taking.
    pub(crate) fn resolve(&self, segs: &[String], known: &dyn Fn(&[String]) -> bool) -> Resolution {
        let Some(top) = self.frames.len().checked_sub(1) else {
            return Resolution::Unresolved(segs.to_vec());
        };
        self.resolve_from(top, segs, known, 0)
    }

    fn resolve_from(
        &self,
        top: usize,
        segs: &[String],
        known: &dyn Fn(&[String]) -> bool,
        depth: usize,
    ) -> Resolution {
        let Some(first) = segs.first() else {
            return Resolution::Local(None);
        };
        // `use` chains through `self::`/`super::` are short; stop cycles.
        if depth > 8 {
            return Resolution::Local(None);
        }
        match first.as_str() {
            "crate" => {
                let known_root = self.frames.iter().any(|f| f.module_path.is_some());
                return Resolution::Local(known_root.then(|| segs[1..].to_vec()));
            }
            "Self" => return Resolution::Local(None),
            "self" => {
                return match self.module_at(top) {
                    Some(m) => self.lookup_in(m..=m, m, &segs[1..], known, depth),
                    None => Resolution::Local(None),
                };
            }
            "super" => {
                // Every leading `super` climbs one module frame.
                let supers = segs.iter().take_while(|s| *s == "super").count();
                let mut at = self.module_at(top);
                for _ in 0..supers {
                    at = at
                        .and_then(|m| m.checked_sub(1))
                        .and_then(|p| self.module_at(p));
                }
                return match at {
                    Some(p) => self.resolve_from(p, &with_self(&segs[supers..]), known, depth + 1),
                    None => Resolution::Local(None),
                };
            }
            _ => {}
        }
        let bottom = self.module_at(top).unwrap_or(0);
        self.lookup_in(bottom..=top, top, segs, known, depth)
    }

    fn lookup_in(
        &self,
        range: std::ops::RangeInclusive<usize>,
        at: usize,
        segs: &[String],
        known: &dyn Fn(&[String]) -> bool,
        depth: usize,
    ) -> Resolution {
        let Some(first) = segs.first() else {
            return Resolution::Local(None);
        };
        for i in range.clone().rev() {
            let frame = &self.frames[i];
            if frame.locals.contains(first) {
                // Only a module's items have a path; a block's are its own.
                let path = frame.module_path.as_ref().map(|m| {
                    let mut full = m.clone();
                    full.extend_from_slice(segs);
                    full
                });
                return Resolution::Local(path);
            }
            if let Some(target) = frame.uses.get(first) {
                let mut full = target.clone();
                full.extend_from_slice(&segs[1..]);
                return match full.first().map(String::as_str) {
                    Some("self" | "super" | "crate") => {
                        self.resolve_from(i.min(at), &full, known, depth + 1)
                    }
                    _ => Resolution::Resolved(full),
                };
            }
        }
        for i in range.rev() {
            for glob in &self.frames[i].globs {
                let mut candidate = glob.clone();
                candidate.extend_from_slice(segs);
                if matches!(
                    candidate.first().map(String::as_str),
                    Some("self" | "super" | "crate")
                ) {
                    continue;
                }
                if known(&candidate) {
                    return Resolution::Resolved(candidate);
                }
            }
        }
        Resolution::Unresolved(segs.to_vec())
    }

    /// Whether a glob import of another crate's module (`use tokio::time::*;`,
    /// not std's, core's or one of the crate's own modules) is in view of a bare name: it
    /// can supply any name, so an unresolved one is not guessed to be std's.
    pub(crate) fn foreign_glob_in_view(&self) -> bool {
        let Some(top) = self.frames.len().checked_sub(1) else {
            return false;
        };
        let bottom = self.module_at(top).unwrap_or(0);
        // `use prelude::*;` with a `mod prelude` in view is the crate's own.
        let own = |name: &str| self.frames.iter().any(|f| f.locals.contains(name));
        self.frames[bottom..=top].iter().any(|f| {
            f.globs.iter().any(|g| match g.first().map(String::as_str) {
                Some("std" | "core" | "alloc" | "self" | "super" | "crate") | None => false,
                Some(first) => !own(first),
            })
        })
    }

    /// The tracked type of a `let` binding or parameter.
    pub(crate) fn var(&self, name: &str) -> Option<Yields> {
        for frame in self.frames.iter().rev() {
            if let Some(ty) = frame.vars.get(name) {
                return *ty;
            }
            if frame.barrier {
                break;
            }
        }
        None
    }

    /// The crate's own type of the binding `name`, when the binding that
    /// `name` reaches (not one it shadows) showed it.
    pub(crate) fn own_type(&self, name: &str) -> Option<&OwnType> {
        for frame in self.frames.iter().rev() {
            if frame.vars.contains_key(name) {
                return frame.own_types.get(name);
            }
            if frame.barrier {
                break;
            }
        }
        None
    }

    /// Gives the binding `name` (where it was bound, within the current fn)
    /// the type `ty` learned after the fact: `handles.push(thread::spawn(..))`.
    pub(crate) fn learn_var(&mut self, name: &str, ty: Yields) {
        for frame in self.frames.iter_mut().rev() {
            if let Some(slot) = frame.vars.get_mut(name) {
                if slot.is_none() {
                    *slot = Some(ty);
                }
                return;
            }
            if frame.barrier {
                return;
            }
        }
    }

    /// The tracked type of a struct field named `name` in a visible struct.
    pub(crate) fn field(&self, name: &str) -> Option<Yields> {
        self.frames
            .iter()
            .rev()
            .find_map(|f| f.fields.get(name))
            .copied()
            .flatten()
    }

    /// The tracked return type of a fn or method declared in view.
    pub(crate) fn returned(&self, name: &str) -> Option<Yields> {
        self.frames
            .iter()
            .rev()
            .find_map(|f| f.returns.get(name))
            .copied()
            .flatten()
    }

    /// Whether `name` is a `use` alias in view.
    pub(crate) fn is_alias(&self, name: &str) -> bool {
        self.frames.iter().any(|f| f.uses.contains_key(name))
    }

    /// Whether an `impl` in view defines a method called `name`.
    pub(crate) fn defines_method(&self, name: &str) -> bool {
        self.frames.iter().any(|f| f.methods.contains(name))
    }
}

/// `super::x` seen from the parent module (`super::super::x` from the
/// grandparent) is `self::x`.
fn with_self(rest: &[String]) -> Vec<String> {
    let mut v = Vec::with_capacity(rest.len() + 1);
    v.push("self".to_string());
    v.extend_from_slice(rest);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segs(p: &str) -> Vec<String> {
        p.split("::").map(str::to_string).collect()
    }

    fn scope(src: &str) -> Scopes {
        let file: syn::File = syn::parse_str(src).expect("test source parses");
        let mut s = Scopes::default();
        s.push(Frame::with_items(&file.items, true));
        s
    }

    #[test]
    fn resolves_aliases_groups_and_globs() {
        let s = scope(
            "use std::thread::sleep as nap; use std::{fs, io::{self, Read}}; use std::net::*;",
        );
        let any = |_: &[String]| true;
        assert_eq!(
            s.resolve(&segs("nap"), &any),
            Resolution::Resolved(segs("std::thread::sleep"))
        );
        assert_eq!(
            s.resolve(&segs("fs::read"), &any),
            Resolution::Resolved(segs("std::fs::read"))
        );
        assert_eq!(
            s.resolve(&segs("io::copy"), &any),
            Resolution::Resolved(segs("std::io::copy"))
        );
        assert_eq!(
            s.resolve(&segs("TcpStream::connect"), &any),
            Resolution::Resolved(segs("std::net::TcpStream::connect"))
        );
    }

    #[test]
    fn local_items_shadow() {
        let s = scope("fn sleep() {} mod x { pub async fn sleep() {} }");
        let any = |_: &[String]| true;
        assert_eq!(s.resolve(&segs("sleep"), &any), Resolution::Local(None));
        assert_eq!(s.resolve(&segs("x::sleep"), &any), Resolution::Local(None));
        assert_eq!(s.resolve(&segs("crate::x"), &any), Resolution::Local(None));
    }

    #[test]
    fn self_and_super_paths() {
        let mut s = scope("use std::fs;");
        s.push(Frame::with_items(&[], true));
        let any = |_: &[String]| true;
        assert_eq!(
            s.resolve(&segs("super::fs::read"), &any),
            Resolution::Resolved(segs("std::fs::read"))
        );
        s.push(Frame::with_items(&[], true));
        assert_eq!(
            s.resolve(&segs("super::super::fs::read"), &any),
            Resolution::Resolved(segs("std::fs::read"))
        );
        assert_eq!(
            s.resolve(&segs("super::super::super::fs::read"), &any),
            Resolution::Local(None)
        );
        s.pop();
        s.pop();
        assert_eq!(
            s.resolve(&segs("self::fs::read"), &any),
            Resolution::Resolved(segs("std::fs::read"))
        );
    }
}
