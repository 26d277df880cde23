//! Resolution: written paths to full paths, expressions and type
//! annotations to tracked types.

use quote::ToTokens;
use syn::{Expr, ExprCall, Type};

use super::{Checker, OwnTarget, Usage};
use crate::catalogue::{CATALOGUE, Kind, index};
use crate::scope::{Frame, OwnType, POINTERS, Resolution, Ty};
use crate::types::{
    self, COLLECTIONS, ELEMENT, ITERATION, SOURCES, STD_MODULES, STD_TYPES, STEPS,
    TRANSPARENT_CALLS, TRANSPARENT_METHODS, TRANSPARENT_TYPES, Yields,
};

/// A call path resolved to a full path.
pub(super) struct Call {
    pub(super) path: Vec<String>,
    /// Nothing in view resolved it: it is as written, or guessed.
    pub(super) unresolved: bool,
    /// A bare std name taken for std's on the evidence of a sync use.
    pub(super) guessed: bool,
}

impl Checker<'_> {
    /// Resolves `segs` in the current scope; a path into the crate is
    /// followed through the crate's `use` items when a whole-crate front end
    /// knows them (`crate::touch` re-exporting `disk::touch`, or `std::fs`).
    pub(super) fn resolve_path(
        &self,
        segs: &[String],
        known: &dyn Fn(&[String]) -> bool,
    ) -> Resolution {
        match (self.scopes.resolve(segs, known), self.crate_types) {
            (Resolution::Local(Some(path)), Some(crate_types)) => {
                let full = crate_types.canonical(&path);
                match full.split_first() {
                    Some((first, rest)) if first == "crate" => {
                        Resolution::Local(Some(rest.to_vec()))
                    }
                    _ => Resolution::Resolved(full),
                }
            }
            (resolution, _) => resolution,
        }
    }

    /// Resolves a call path to a full path, guessing std for a bare std
    /// module, type or distinctive name that nothing in view resolves when
    /// the call's value is used synchronously. `None` for user code.
    pub(super) fn resolve_call(&self, segs: &[String], usage: Usage) -> Option<Vec<String>> {
        self.resolve_call_as_written(segs, usage).map(|r| r.path)
    }

    /// Like `resolve_call`, also telling how the path was found.
    pub(super) fn resolve_call_as_written(&self, segs: &[String], usage: Usage) -> Option<Call> {
        let (path, unresolved, guessed) = match self.resolve_path(segs, &known_path) {
            Resolution::Local(_) => return None,
            Resolution::Resolved(p) => (p, false, false),
            // A glob of another crate in view may supply the name.
            Resolution::Unresolved(p)
                if usage == Usage::Sync && !self.scopes.foreign_glob_in_view() =>
            {
                let guess = guess_std(p.clone());
                let guessed = guess != p;
                (guess, true, guessed)
            }
            Resolution::Unresolved(p) => (p, true, false),
        };
        Some(Call {
            path: canonical_call(path),
            unresolved,
            guessed,
        })
    }

    /// The bare path, and what it was taken for, when the type of a method
    /// receiver rests on a guess (`File::open(p)?.read_to_string(..)`).
    pub(super) fn guess_behind(&self, e: &Expr) -> Option<(String, String)> {
        match e {
            Expr::Paren(p) => self.guess_behind(&p.expr),
            Expr::Group(g) => self.guess_behind(&g.expr),
            Expr::Reference(r) => self.guess_behind(&r.expr),
            Expr::Try(t) => self.guess_behind(&t.expr),
            Expr::MethodCall(m) => self.guess_behind(&m.receiver),
            Expr::Call(c) => {
                let segs = call_segments(c)?;
                let last = segs.last()?;
                if TRANSPARENT_CALLS.contains(&last.as_str()) {
                    return self.guess_behind(c.args.first()?);
                }
                let call = self.resolve_call_as_written(&segs, Usage::Sync)?;
                call.guessed
                    .then(|| (segs.join("::"), call.path.join("::")))
            }
            _ => None,
        }
    }

    /// What a type annotation tracks: a collection's element type, or the
    /// type itself.
    pub(super) fn yields_of_syn(&self, ty: &Type) -> Option<Yields> {
        let element = match ty {
            Type::Reference(r) => return self.yields_of_syn(&r.elem),
            Type::Paren(p) => return self.yields_of_syn(&p.elem),
            Type::Slice(s) => Some(&*s.elem),
            Type::Array(a) => Some(&*a.elem),
            Type::Path(tp) if tp.qself.is_none() => tp.path.segments.last().and_then(|last| {
                let collection = COLLECTIONS.contains(&last.ident.to_string().as_str());
                match &last.arguments {
                    syn::PathArguments::AngleBracketed(a) if collection => {
                        a.args.iter().find_map(|arg| match arg {
                            syn::GenericArgument::Type(t) => Some(t),
                            _ => None,
                        })
                    }
                    _ => None,
                }
            }),
            _ => None,
        };
        match element {
            Some(elem) => self.type_of_syn(elem).map(Yields::Each),
            None => self.type_of_syn(ty).map(Yields::One),
        }
    }

    /// The type a method on a collection of tracked elements yields: the
    /// collection again (`iter`, `collect`), one element (`pop`), or a new
    /// collection of what a closure builds (`map(|_| thread::spawn(..))`).
    /// `receiver`: the receiver's type, worked out once by the caller (a
    /// long method chain would otherwise cost twice per link).
    fn elements_of(
        &self,
        m: &syn::ExprMethodCall,
        name: &str,
        receiver: Option<Yields>,
    ) -> Option<Yields> {
        if name == "map"
            && let Some(Expr::Closure(c)) = m.args.first()
            && let Some(Yields::One(t)) = self.type_of(&c.body)
        {
            return Some(Yields::Each(t));
        }
        let Some(Yields::Each(t)) = receiver else {
            return None;
        };
        if ITERATION.contains(&name) {
            Some(Yields::Each(t))
        } else if ELEMENT.contains(&name) {
            Some(Yields::One(t))
        } else {
            None
        }
    }

    pub(super) fn type_of_syn(&self, ty: &Type) -> Option<Ty> {
        match ty {
            Type::Reference(r) => self.type_of_syn(&r.elem),
            Type::Paren(p) => self.type_of_syn(&p.elem),
            Type::Group(g) => self.type_of_syn(&g.elem),
            Type::Path(tp) if tp.qself.is_none() => {
                let last = tp.path.segments.last()?;
                let generic = || match &last.arguments {
                    syn::PathArguments::AngleBracketed(a) => {
                        a.args.iter().find_map(|arg| match arg {
                            syn::GenericArgument::Type(t) => Some(t),
                            _ => None,
                        })
                    }
                    _ => None,
                };
                let name = last.ident.to_string();
                if TRANSPARENT_TYPES.contains(&name.as_str()) {
                    return self.type_of_syn(generic()?);
                }
                // An r2d2 pool is recognised by its connection manager.
                if name == "Pool" || name == "PooledConnection" {
                    let manager = generic().map(|t| t.to_token_stream().to_string());
                    if manager.is_some_and(|m| m.contains("ConnectionManager")) {
                        return Some(if name == "Pool" {
                            "r2d2::Pool"
                        } else {
                            "r2d2::PooledConnection"
                        });
                    }
                }
                let segs: Vec<String> = tp
                    .path
                    .segments
                    .iter()
                    .map(|s| s.ident.to_string())
                    .collect();
                let path = match self.resolve_path(&segs, &|c| tracked(&c.join("::")).is_some()) {
                    Resolution::Local(_) => return None,
                    Resolution::Resolved(p) => p,
                    Resolution::Unresolved(p) if self.scopes.foreign_glob_in_view() => p,
                    Resolution::Unresolved(p) => match p.as_slice() {
                        [single] => STD_TYPES
                            .iter()
                            .find(|(k, _)| k == single)
                            .map_or(p.clone(), |(_, full)| vec![(*full).to_string()]),
                        _ => guess_std(p),
                    },
                };
                tracked(&path.join("::"))
            }
            _ => None,
        }
    }

    /// The tracked type of an expression, when visible.
    pub(super) fn type_of(&self, e: &Expr) -> Option<Yields> {
        match same_value(e) {
            Expr::Try(t) => self.type_of(&t.expr),
            Expr::Path(p) if p.qself.is_none() => {
                let id = p.path.get_ident()?;
                self.scopes.var(&id.to_string())
            }
            Expr::Field(f) => match (&*f.base, &f.member) {
                (Expr::Path(base), syn::Member::Named(name)) if base.path.is_ident("self") => {
                    self.scopes.field(&name.to_string())
                }
                _ => None,
            },
            Expr::Call(c) => {
                let segs = call_segments(c)?;
                let tail = segs[segs.len().saturating_sub(2)..].join("::");
                let last = segs.last()?;
                if TRANSPARENT_CALLS.contains(&tail.as_str())
                    || TRANSPARENT_CALLS.contains(&last.as_str())
                {
                    return self.type_of(c.args.first()?);
                }
                let Some(path) = self.resolve_call(&segs, Usage::Sync) else {
                    // A fn of this crate: its declared return type, if in view.
                    let own = segs.len() == 1 || segs.len() == 2 && segs[0] == "Self";
                    return own.then(|| self.scopes.returned(last)).flatten();
                };
                let path = path.join("::");
                SOURCES
                    .iter()
                    .find(|s| s.path == path && s.args.is_none_or(|n| n == c.args.len()))
                    .map(|s| s.yields)
            }
            Expr::MethodCall(m) => {
                let name = m.method.to_string();
                let argc = m.args.len();
                if TRANSPARENT_METHODS
                    .iter()
                    .any(|(n, a)| *n == name && a.is_none_or(|a| a == argc))
                {
                    return self.type_of(&m.receiver);
                }
                if matches!(&*m.receiver, Expr::Path(p) if p.path.is_ident("self")) {
                    return self.scopes.returned(&name);
                }
                let receiver = self.type_of(&m.receiver);
                if let Some(elements) = self.elements_of(m, &name, receiver) {
                    return Some(elements);
                }
                let Some(Yields::One(on)) = receiver else {
                    return None;
                };
                STEPS
                    .iter()
                    .find(|s| s.on == on && s.methods.contains(&name.as_str()))
                    .map(|s| s.yields)
            }
            _ => None,
        }
    }
}

/// The crate's own types: what a method call on a value of one reaches.
impl Checker<'_> {
    /// What a call to a path of the crate's own calls, as the syntax tells.
    pub(super) fn call_target(&self, c: &ExprCall) -> Option<OwnTarget> {
        let segs = call_segments(c)?;
        match self.resolve_path(&segs, &|_| false) {
            Resolution::Local(Some(path)) => Some(OwnTarget::Path(path)),
            Resolution::Local(None) if segs.first().is_some_and(|s| s == "Self") => {
                Some(OwnTarget::SelfPath(segs[1..].to_vec()))
            }
            _ => None,
        }
    }

    /// What a method call calls: the method of the receiver's type when it
    /// is one of the crate's own, any method of the name otherwise.
    pub(super) fn method_target(&self, m: &syn::ExprMethodCall) -> OwnTarget {
        OwnTarget::Method {
            name: m.method.to_string(),
            receiver: self.plain_own_type_of(&m.receiver),
            args: m.args.len(),
        }
    }

    /// Gives the parameter `pat: ty` its own type, if `ty` shows one.
    pub(super) fn bind_own_type(&self, frame: &mut Frame, pat: &syn::Pat, ty: &Type) {
        if let (Some(name), Some(own)) =
            (pat_ident(pat), OwnType::of_syn(ty, self.self_ty.as_deref()))
        {
            frame.own_types.insert(name, own);
        }
    }

    /// The name of the crate's own type an expression's value has, when
    /// the syntax shows it and it is not inside a `Result` or `Option`.
    fn plain_own_type_of(&self, e: &Expr) -> Option<String> {
        self.own_type_of(e).filter(|t| !t.wrapped).map(|t| t.name)
    }

    /// The crate's own type of an expression's value, from the bindings,
    /// fields and return types it is built of: `s`, `self.store`,
    /// `Store::open()?`, `Store::connect().await.unwrap()`.
    pub(super) fn own_type_of(&self, e: &Expr) -> Option<OwnType> {
        let crate_types = self.crate_types?;
        match same_value(e) {
            Expr::Await(a) => self.own_type_of(&a.base),
            Expr::Path(p) if p.qself.is_none() => {
                let id = p.path.get_ident()?;
                self.scopes.own_type(&id.to_string()).cloned()
            }
            Expr::Field(f) => {
                let base = self.plain_own_type_of(&f.base)?;
                let field = match &f.member {
                    syn::Member::Named(name) => name.to_string(),
                    syn::Member::Unnamed(index) => index.index.to_string(),
                };
                crate_types.field(&base, &field)
            }
            Expr::Try(t) => Some(self.own_type_of(&t.expr)?.unwrapped()),
            Expr::Struct(st) if st.qself.is_none() => {
                let name = st.path.segments.last()?.ident.to_string();
                OwnType::named(name, self.self_ty.as_deref())
            }
            Expr::Call(c) => match call_segments(c)?.as_slice() {
                [.., pointer, new] if new == "new" && POINTERS.contains(&pointer.as_str()) => {
                    self.own_type_of(c.args.first()?)
                }
                _ => crate_types.returned(self.self_ty.as_deref(), &self.call_target(c)?),
            },
            Expr::MethodCall(m) => match (m.method.to_string().as_str(), m.args.len()) {
                ("unwrap", 0) | ("expect", 1) => Some(self.own_type_of(&m.receiver)?.unwrapped()),
                ("clone", 0) => self.own_type_of(&m.receiver),
                (name, args) => {
                    let target = self.method_target(m);
                    let returned = crate_types.returned(self.self_ty.as_deref(), &target);
                    // Not a method of the crate: a lock's guard, which
                    // derefs to what the lock holds.
                    match (returned, target) {
                        (Some(t), _) => Some(t),
                        (None, OwnTarget::Method { receiver, .. })
                            if args == 0 && GUARDS.contains(&name) =>
                        {
                            receiver.map(|name| OwnType {
                                name,
                                wrapped: false,
                            })
                        }
                        _ => None,
                    }
                }
            },
            _ => None,
        }
    }
}

/// The methods that take a lock's guard.
const GUARDS: &[&str] = &["lock", "read", "write", "borrow", "borrow_mut"];

/// The expression whose value `e` is, or refers to, for typing: through
/// parentheses, `&` and `*`.
fn same_value(mut e: &Expr) -> &Expr {
    loop {
        e = match e {
            Expr::Paren(p) => &p.expr,
            Expr::Group(g) => &g.expr,
            Expr::Reference(r) => &r.expr,
            Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => &u.expr,
            _ => return e,
        };
    }
}

/// The name a pattern binds when it is a plain name (`s`, `s: Store`).
pub(super) fn pat_ident(p: &syn::Pat) -> Option<String> {
    match p {
        syn::Pat::Ident(i) => Some(i.ident.to_string()),
        syn::Pat::Type(t) => pat_ident(&t.pat),
        _ => None,
    }
}

/// Path segments of a call's function, when it is a plain path.
pub(super) fn call_segments(c: &ExprCall) -> Option<Vec<String>> {
    match &*c.func {
        Expr::Path(p) if p.qself.is_none() => Some(
            p.path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect(),
        ),
        _ => None,
    }
}

/// Whether a glob-imported candidate names something the check knows.
fn known_path(candidate: &[String]) -> bool {
    let joined = canonical_call(candidate.to_vec()).join("::");
    index().by_path.contains_key(joined.as_str())
        || SOURCES.iter().any(|s| s.path == joined)
        || candidate.len() >= 2 && tracked(&candidate[..candidate.len() - 1].join("::")).is_some()
}

/// A tracked type's canonical `&'static str`, if `path` names one.
fn tracked(path: &str) -> Option<Ty> {
    types::tracked(path)
}

/// Bare `thread::sleep` means std's unless awaited; so do bare std type
/// names (`File::open`) and distinctive bare names (`sleep`).
fn guess_std(segs: Vec<String>) -> Vec<String> {
    let Some(first) = segs.first() else {
        return segs;
    };
    let lookup = |table: &'static [(&'static str, &'static str)]| {
        table.iter().find(|(k, _)| k == first).map(|(_, v)| *v)
    };
    if segs.len() >= 2 {
        if let Some(full) = lookup(STD_MODULES).or_else(|| lookup(STD_TYPES)) {
            let mut out: Vec<String> = full.split("::").map(str::to_string).collect();
            out.extend_from_slice(&segs[1..]);
            return out;
        }
    } else if let Some(entry) = CATALOGUE
        .iter()
        .find(|e| e.bare && e.name() == first && matches!(e.kind, Kind::Function))
    {
        return entry.path.split("::").map(str::to_string).collect();
    }
    segs
}

/// `diesel::prelude::PgConnection::establish` → `diesel::PgConnection::establish`.
fn canonical_call(mut path: Vec<String>) -> Vec<String> {
    if path.len() >= 2 {
        let ty = path[..path.len() - 1].join("::");
        let canon = types::canonical(&ty);
        if canon != ty {
            let last = path.pop().unwrap_or_default();
            path = canon.split("::").map(str::to_string).collect();
            path.push(last);
        }
    }
    path
}
