//! The crate's fns, what each one's code blocks on, and the calls between
//! them: a sync fn blocks when its own body does or when it calls one that
//! blocks, through any depth (a fixed point, so cycles end).

use std::collections::{HashMap, HashSet};

use syn::{Block, ImplItem, Item, Signature, TraitItem};

use super::paths::CratePaths;
use super::tree::{Module, deny_args};
use crate::attrs::has_allow;
use crate::check::{Checker, CrateTypes, Hit, OwnCall, OwnTarget};
use crate::options::CheckOptions;
use crate::scope::OwnType;
use crate::surroundings::FileView;

/// A fn with a body: a free fn, a method, or a trait's default method.
pub(crate) struct FnDef<'s> {
    pub(crate) module: usize,
    /// As shown in a chain: `load_config`, `Store::open`.
    pub(crate) name: String,
    self_ty: Option<String>,
    sig: &'s Signature,
    block: &'s Block,
    /// `#[allow_blocking]` on it, its `impl` or a module above.
    allowed: bool,
    /// `#[deny_blocking(..)]` arguments on it, its `impl` and modules above.
    options: Vec<proc_macro2::TokenStream>,
}

impl FnDef<'_> {
    pub(crate) fn is_async(&self) -> bool {
        self.sig.asyncness.is_some()
    }

    /// Whether a method call with `args` arguments after the receiver can
    /// be a call of this fn: a method (it takes `self`) of that many more.
    fn takes_args(&self, args: usize) -> bool {
        self.sig.receiver().is_some() && self.sig.inputs.len() == args + 1
    }
}

/// The crate's fns, with the keys calls reach them by.
pub(crate) struct Index<'s> {
    pub(crate) fns: Vec<FnDef<'s>>,
    /// Free fns by path from the crate root.
    by_path: HashMap<Vec<String>, Vec<usize>>,
    /// Methods by (type or trait name, method name).
    by_type: HashMap<(String, String), Vec<usize>>,
    /// Methods by name alone.
    by_name: HashMap<String, Vec<usize>>,
    /// Struct field types by (struct name, field name or position), when
    /// one of the crate's types (`None`: two structs of the name disagree).
    fields: HashMap<(String, String), Option<OwnType>>,
    /// The crate's trait names.
    traits: HashSet<String>,
    /// Each module's path, for fn names in chains.
    module_paths: Vec<Vec<String>>,
    /// Crate paths through re-exports.
    paths: CratePaths,
}

/// Method names that std's collections, iterators, options and I/O types
/// also have: a crate method of the same name is not taken for the callee
/// of an unknown receiver.
const STD_METHOD_NAMES: &[&str] = &[
    "get",
    "get_mut",
    "insert",
    "remove",
    "push",
    "pop",
    "len",
    "is_empty",
    "iter",
    "iter_mut",
    "into_iter",
    "map",
    "and_then",
    "clone",
    "to_string",
    "from",
    "into",
    "new",
    "default",
    "next",
    "read",
    "write",
    "flush",
    "lock",
    "send",
    "recv",
    "take",
    "extend",
    "contains",
    "clear",
    "drain",
    "entry",
    "keys",
    "values",
    "as_ref",
    "as_mut",
    "borrow",
    "borrow_mut",
    "unwrap",
    "expect",
    "collect",
    "filter",
    "find",
    "fmt",
    "eq",
    "cmp",
    "partial_cmp",
    "hash",
    "drop",
    "deref",
    "call",
    "poll",
    "poll_next",
    "wait",
    "join",
    "run",
    "start",
    "close",
    "shutdown",
    "parse",
    // Builders of other crates (`Client::builder()...build()`).
    "build",
];

impl<'s> Index<'s> {
    pub(crate) fn of(modules: &'s [Module]) -> Self {
        let mut index = Index {
            fns: Vec::new(),
            by_path: HashMap::new(),
            by_type: HashMap::new(),
            by_name: HashMap::new(),
            fields: HashMap::new(),
            traits: HashSet::new(),
            module_paths: modules.iter().map(|m| m.path.clone()).collect(),
            paths: CratePaths::of(modules),
        };
        for (m, module) in modules.iter().enumerate() {
            for item in &module.items {
                index.add_item(m, module, item);
            }
        }
        index
    }

    fn add_item(&mut self, m: usize, module: &Module, item: &'s Item) {
        let base = |attrs: &[syn::Attribute]| {
            let mut options = module.options.clone();
            options.extend(deny_args(attrs));
            (module.allowed || has_allow(attrs), options)
        };
        match item {
            Item::Fn(f) => {
                let (allowed, options) = base(&f.attrs);
                let id = self.push(m, None, &f.sig, &f.block, allowed, options);
                let mut path = module.path.clone();
                path.push(f.sig.ident.to_string());
                self.by_path.entry(path).or_default().push(id);
            }
            Item::Impl(imp) => {
                let (allowed, options) = base(&imp.attrs);
                let self_ty = last_ident(&imp.self_ty);
                let trait_name = imp.trait_.as_ref().and_then(|(p, _)| p.segments.last());
                for it in &imp.items {
                    let ImplItem::Fn(f) = it else { continue };
                    let mut options = options.clone();
                    options.extend(deny_args(&f.attrs));
                    let allowed = allowed || has_allow(&f.attrs);
                    let id = self.push(m, self_ty.clone(), &f.sig, &f.block, allowed, options);
                    let method = f.sig.ident.to_string();
                    let types = self_ty
                        .iter()
                        .cloned()
                        .chain(trait_name.map(|t| t.ident.to_string()));
                    for ty in types {
                        self.by_type
                            .entry((ty, method.clone()))
                            .or_default()
                            .push(id);
                    }
                    self.by_name.entry(method).or_default().push(id);
                }
            }
            Item::Struct(st) => {
                let name = st.ident.to_string();
                for (i, field) in st.fields.iter().enumerate() {
                    let key = match &field.ident {
                        Some(id) => id.to_string(),
                        None => i.to_string(),
                    };
                    let ty = OwnType::of_syn(&field.ty, Some(&name));
                    self.fields
                        .entry((name.clone(), key))
                        .and_modify(|old| {
                            if *old != ty {
                                *old = None;
                            }
                        })
                        .or_insert(ty);
                }
            }
            Item::Trait(t) => {
                let (allowed, options) = base(&t.attrs);
                let name = t.ident.to_string();
                self.traits.insert(name.clone());
                for it in &t.items {
                    let TraitItem::Fn(f) = it else { continue };
                    let Some(block) = &f.default else { continue };
                    let mut options = options.clone();
                    options.extend(deny_args(&f.attrs));
                    let allowed = allowed || has_allow(&f.attrs);
                    let id = self.push(m, Some(name.clone()), &f.sig, block, allowed, options);
                    let method = f.sig.ident.to_string();
                    self.by_type
                        .entry((name.clone(), method.clone()))
                        .or_default()
                        .push(id);
                    self.by_name.entry(method).or_default().push(id);
                }
            }
            _ => {}
        }
    }

    /// Marks the fns `opts.allow_own` names as allowed (not checked, not
    /// followed into); returns the entries that named none of them.
    pub(crate) fn allow_own(&mut self, opts: &CheckOptions) -> Vec<Vec<String>> {
        let mut matched = vec![false; opts.allow_own.len()];
        for f in &mut self.fns {
            let path: Vec<String> = self.module_paths[f.module]
                .iter()
                .cloned()
                .chain(f.self_ty.clone())
                .chain([f.sig.ident.to_string()])
                .collect();
            for (entry, seen) in opts.allow_own.iter().zip(&mut matched) {
                if path.starts_with(entry) {
                    *seen = true;
                    f.allowed = true;
                }
            }
        }
        opts.allow_own
            .iter()
            .zip(matched)
            .filter(|(_, seen)| !seen)
            .map(|(entry, _)| entry.clone())
            .collect()
    }

    fn push(
        &mut self,
        module: usize,
        self_ty: Option<String>,
        sig: &'s Signature,
        block: &'s Block,
        allowed: bool,
        options: Vec<proc_macro2::TokenStream>,
    ) -> usize {
        let name = match &self_ty {
            Some(ty) => format!("{ty}::{}", sig.ident),
            None => self.module_paths[module]
                .iter()
                .chain([&sig.ident.to_string()])
                .cloned()
                .collect::<Vec<_>>()
                .join("::"),
        };
        self.fns.push(FnDef {
            module,
            name,
            self_ty,
            sig,
            block,
            allowed,
            options,
        });
        self.fns.len() - 1
    }

    /// The fns a call made in fn `caller` reaches, when the syntax says
    /// which definition it is: several when that definition has `cfg`
    /// twins (every branch counts), none when the syntax does not tell.
    pub(crate) fn callees(&self, caller: usize, target: &OwnTarget) -> Vec<usize> {
        let self_ty = self.fns.get(caller).and_then(|f| f.self_ty.as_deref());
        self.reached(self_ty, target)
    }

    /// The fns a call made in code of the `impl` of `self_ty` reaches.
    fn reached(&self, self_ty: Option<&str>, target: &OwnTarget) -> Vec<usize> {
        // A trait's method is the one of its impl only when it has one; a
        // type's are all its `cfg` twins.
        let by_type = |ty: &str, name: &str| match self
            .by_type
            .get(&(ty.to_string(), name.to_string()))
            .map(Vec::as_slice)
        {
            Some([only]) => vec![*only],
            Some(ids) if !self.traits.contains(ty) => ids.to_vec(),
            _ => Vec::new(),
        };
        match target {
            OwnTarget::Path(path) => {
                if let Some(ids) = self.by_path.get(path) {
                    return ids.clone();
                }
                match path.as_slice() {
                    [.., ty, name] => by_type(ty, name),
                    _ => Vec::new(),
                }
            }
            OwnTarget::SelfPath(rest) => match (rest.as_slice(), self_ty) {
                ([name], Some(ty)) => by_type(ty, name),
                _ => Vec::new(),
            },
            OwnTarget::Method {
                name,
                receiver,
                args,
            } => {
                if let Some(ty) = receiver {
                    let ids = by_type(ty, name);
                    if !ids.is_empty() {
                        return ids;
                    }
                }
                if STD_METHOD_NAMES.contains(&name.as_str()) {
                    return Vec::new();
                }
                // A name unique in the crate, or `cfg` twins of one type's,
                // among the methods that take as many arguments: an external
                // type's `build(x)` is not the crate's `build(self)`.
                let ids: Vec<usize> = self
                    .by_name
                    .get(name)
                    .map(Vec::as_slice)
                    .unwrap_or_default()
                    .iter()
                    .copied()
                    .filter(|id| self.fns[*id].takes_args(*args))
                    .collect();
                let ids = ids.as_slice();
                let one_type = ids.split_first().is_some_and(|(first, rest)| {
                    let ty = &self.fns[*first].self_ty;
                    ty.as_ref().is_some_and(|t| !self.traits.contains(t))
                        && rest.iter().all(|id| &self.fns[*id].self_ty == ty)
                });
                match ids {
                    [only] => vec![*only],
                    _ if one_type => ids.to_vec(),
                    _ => Vec::new(),
                }
            }
        }
    }
}

impl CrateTypes for Index<'_> {
    fn returned(&self, self_ty: Option<&str>, target: &OwnTarget) -> Option<OwnType> {
        self.reached(self_ty, target).into_iter().find_map(|id| {
            let f = &self.fns[id];
            match &f.sig.output {
                syn::ReturnType::Type(_, ty) => OwnType::of_syn(ty, f.self_ty.as_deref()),
                syn::ReturnType::Default => None,
            }
        })
    }

    fn field(&self, ty: &str, field: &str) -> Option<OwnType> {
        self.fields
            .get(&(ty.to_string(), field.to_string()))
            .cloned()
            .flatten()
    }

    fn canonical(&self, path: &[String]) -> Vec<String> {
        self.paths.canonical(path)
    }
}

fn last_ident(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        syn::Type::Reference(r) => last_ident(&r.elem),
        syn::Type::Paren(p) => last_ident(&p.elem),
        _ => None,
    }
}

/// What checking one fn found.
#[derive(Default)]
pub(crate) struct FnResult {
    /// Blocking calls in its async code (its body if it is async, its
    /// async blocks and closures otherwise).
    pub(crate) direct: Vec<(syn::Error, Hit)>,
    /// Calls into the crate from its async code.
    pub(crate) async_calls: Vec<OwnCall>,
    /// A sync fn's own blocking calls, as if run on the executor.
    pub(crate) blocking: Vec<(syn::Error, Hit)>,
    /// A sync fn's calls into the crate.
    pub(crate) calls: Vec<OwnCall>,
}

/// Builds each module's frame, with its path from the crate root.
pub(crate) fn view_of(modules: &[Module]) -> FileView {
    let opts = CheckOptions::default();
    let mut view = FileView::default();
    for module in modules {
        let mut checker = Checker::new(&opts);
        let mut frame = {
            let around = module.parent.map(|p| view.surroundings(p));
            checker.module_frame(around.iter().flat_map(|a| a.frames()), &module.items)
        };
        frame.module_path = Some(module.path.clone());
        view.push_frame(frame, module.parent);
    }
    view
}

/// Checks every fn of the crate.
pub(crate) fn check_fns(index: &Index<'_>, view: &FileView, opts: &CheckOptions) -> Vec<FnResult> {
    index
        .fns
        .iter()
        .map(|f| {
            if f.allowed {
                return FnResult::default();
            }
            let opts = merged(opts, &f.options);
            let around = view.surroundings(f.module);
            let mut result = FnResult::default();
            let mut checker = Checker::new(&opts);
            checker.record_own_calls(index, f.self_ty.clone());
            checker.check_fn_within(f.sig, f.block, around.frames());
            result.async_calls = checker.take_own_calls();
            result.direct = checker.take_hits();
            if !f.is_async() {
                checker.check_summary(f.sig, f.block, around.frames());
                result.calls = checker.take_own_calls();
                result.blocking = checker.take_hits();
            }
            result
        })
        .collect()
}

fn merged(opts: &CheckOptions, extra: &[proc_macro2::TokenStream]) -> CheckOptions {
    let mut all = opts.clone();
    for tokens in extra {
        if let Ok(more) = CheckOptions::parse(tokens.clone()) {
            all.extra.extend(more.extra);
            all.allow.extend(more.allow);
        }
    }
    all
}

/// Why a sync fn blocks: its own call (index into its `blocking`), or a
/// call (index into its `calls`) to a fn that blocks.
#[derive(Clone, Copy)]
pub(crate) enum Reason {
    Own(usize),
    Via { call: usize, callee: usize },
}

/// Which sync fns block, and why; the shortest chain wins.
pub(crate) fn blocking_fns(index: &Index<'_>, results: &[FnResult]) -> Vec<Option<Reason>> {
    let mut reasons: Vec<Option<Reason>> = results
        .iter()
        .map(|r| (!r.blocking.is_empty()).then_some(Reason::Own(0)))
        .collect();
    let followable = |id: usize| {
        index
            .fns
            .get(id)
            .is_some_and(|f| !f.is_async() && !f.allowed)
    };
    loop {
        let mut next = reasons.clone();
        for (caller, result) in results.iter().enumerate() {
            if next[caller].is_some() || !followable(caller) {
                continue;
            }
            next[caller] = result.calls.iter().enumerate().find_map(|(call, c)| {
                // Any definition the call reaches that blocks.
                let callee = index
                    .callees(caller, &c.target)
                    .into_iter()
                    .find(|&callee| followable(callee) && reasons[callee].is_some())?;
                Some(Reason::Via { call, callee })
            });
        }
        let changed = next
            .iter()
            .zip(&reasons)
            .any(|(a, b)| a.is_some() != b.is_some());
        reasons = next;
        if !changed {
            return reasons;
        }
    }
}
