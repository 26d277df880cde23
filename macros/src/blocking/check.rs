//! The walk over checked code.
//!
//! Two bits of context travel down the tree: whether code runs on the
//! executor (`in_async`: async fns, async blocks and the plain closures inside
//! them, but not nested `fn` items or closures handed to `spawn_blocking`),
//! and whether the expression at hand is *awaited* (operand of `.await`, a
//! future handed to `join!`/`select!`/`timeout(..)`, or a `let` binding
//! awaited later). An async alternative must be awaited, so `.await` is
//! evidence against the blocking reading of an ambiguous path.

use std::collections::HashSet;

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
use quote::ToTokens;
use syn::visit::{self, Visit};
use syn::{
    Block, Expr, ExprCall, ExprClosure, ExprMethodCall, Item, Local, Macro, Pat, Signature, Stmt,
    Type,
};

use super::catalogue::{CATALOGUE, Kind, index};
use super::macro_args::{self, MacroKind};
use super::options::CheckOptions;
use super::scope::{Frame, Resolution, Scopes, Ty};
use super::strip::{has_allow, has_attr};
use super::types::{
    self, SOURCES, STD_MODULES, STD_TYPES, STEPS, TRANSPARENT_CALLS, TRANSPARENT_METHODS,
    TRANSPARENT_TYPES, Yields,
};

/// The std channel receiver, whose iteration blocks.
const RECEIVER: &str = "std::sync::mpsc::Receiver";

/// Calls and methods whose closure arguments run off the executor thread.
const INSULATING: &[&str] = &[
    "spawn_blocking",
    "block_in_place",
    "spawn",
    "scope",
    "spawn_scoped",
];

/// Calls and methods whose arguments are futures (awaited by the callee).
const FUTURE_CONSUMERS: &[&str] = &[
    "spawn",
    "spawn_local",
    "spawn_named",
    "pin",
    "timeout",
    "timeout_at",
    "join_all",
    "try_join_all",
    "select",
    "select_all",
    "join",
    "try_join",
    "race",
    "block_on",
];

/// Future adapters: `fut.map(..).await` awaits `fut` too.
const ADAPTERS: &[&str] = &[
    "map",
    "map_ok",
    "map_err",
    "err_into",
    "then",
    "and_then",
    "or_else",
    "inspect",
    "boxed",
    "boxed_local",
    "fuse",
    "instrument",
    "in_current_span",
    "catch_unwind",
    "shared",
];

pub(crate) struct Checker<'a> {
    opts: &'a CheckOptions,
    scopes: Scopes,
    /// `let` names awaited (or handed to a future consumer) in the current fn.
    futures: HashSet<String>,
    in_async: bool,
    awaited: bool,
    pub(crate) errors: Vec<syn::Error>,
    /// Whether an `#[allow_blocking]` marker may be present (seen, or inside
    /// a macro the check does not read): the caller must strip markers.
    pub(crate) markers: bool,
}

impl<'a> Checker<'a> {
    pub(crate) fn new(opts: &'a CheckOptions) -> Self {
        Checker {
            opts,
            scopes: Scopes::default(),
            futures: HashSet::new(),
            in_async: false,
            awaited: false,
            errors: Vec::new(),
            markers: false,
        }
    }

    /// Whether `attrs` carry `#[allow_blocking]`, remembering that they did.
    fn allowed(&mut self, attrs: &[syn::Attribute]) -> bool {
        let allowed = has_allow(attrs);
        self.markers |= allowed;
        allowed
    }

    /// Runs `f` with the given execution context, restoring the old one.
    fn with_context(&mut self, in_async: bool, f: impl FnOnce(&mut Self)) {
        let saved = (self.in_async, self.awaited);
        self.in_async = in_async;
        self.awaited = false;
        f(self);
        (self.in_async, self.awaited) = saved;
    }

    fn visit_awaited(&mut self, e: &Expr, awaited: bool) {
        self.awaited = awaited;
        self.visit_expr(e);
        self.awaited = false;
    }

    // ---- items -----------------------------------------------------------

    /// Checks a module's items with its `use` items in view.
    pub(crate) fn check_module(&mut self, items: &[Item]) {
        self.scopes.push(Frame::with_items(items, true));
        self.record_fields(items);
        for item in items {
            self.check_item(item);
        }
        self.scopes.pop();
    }

    /// Checks an item met inside checked code (or at the root of a module).
    pub(crate) fn check_item(&mut self, item: &Item) {
        if self.allowed(item_attrs(item)) || has_attr(item_attrs(item), "deny_blocking") {
            return;
        }
        match item {
            Item::Fn(f) => self.check_fn(&f.sig, &f.block),
            Item::Impl(imp) => {
                for it in &imp.items {
                    if let syn::ImplItem::Fn(f) = it {
                        if !self.allowed(&f.attrs) {
                            self.check_fn(&f.sig, &f.block);
                        }
                    }
                }
            }
            Item::Trait(t) => {
                for it in &t.items {
                    if let syn::TraitItem::Fn(f) = it {
                        if let (Some(block), false) = (&f.default, self.allowed(&f.attrs)) {
                            self.check_fn(&f.sig, block);
                        }
                    }
                }
            }
            Item::Mod(m) => {
                if let Some((_, items)) = &m.content {
                    self.check_module(items);
                }
            }
            _ => {}
        }
    }

    /// Checks a function: its body is async context when the fn is async;
    /// otherwise only its async blocks are.
    pub(crate) fn check_fn(&mut self, sig: &Signature, block: &Block) {
        let saved_futures = std::mem::replace(&mut self.futures, future_names(block));
        let mut frame = Frame::boundary();
        for input in &sig.inputs {
            if let syn::FnArg::Typed(pt) = input {
                let ty = self.type_of_syn(&pt.ty);
                bind_pat(&mut frame, &pt.pat, ty.map(Yields::One));
            }
        }
        self.scopes.push(frame);
        self.with_context(sig.asyncness.is_some(), |s| s.visit_block(block));
        self.scopes.pop();
        self.futures = saved_futures;
    }

    /// Checks a block in async context (an async fn body or async block).
    #[allow(dead_code, reason = "entry point for macros that hold only a block")]
    pub(crate) fn check_async_block(&mut self, block: &Block) {
        let saved_futures = std::mem::replace(&mut self.futures, future_names(block));
        self.with_context(true, |s| s.visit_block(block));
        self.futures = saved_futures;
    }

    /// Checks an expression evaluated in async context as a future (a
    /// `gather!` argument): the expression itself counts as awaited.
    pub(crate) fn check_future_expr(&mut self, expr: &Expr) {
        let mut names = FutureNames::default();
        names.visit_expr(expr);
        let saved_futures = std::mem::replace(&mut self.futures, names.0);
        self.with_context(true, |s| s.visit_awaited(expr, true));
        self.futures = saved_futures;
    }

    fn record_fields(&mut self, items: &[Item]) {
        let mut fields: std::collections::HashMap<String, Option<Ty>> = Default::default();
        for item in items {
            if let Item::Struct(s) = item {
                for field in &s.fields {
                    if let Some(name) = &field.ident {
                        let ty = self.type_of_syn(&field.ty);
                        fields
                            .entry(name.to_string())
                            .and_modify(|old| {
                                if *old != ty {
                                    *old = None;
                                }
                            })
                            .or_insert(ty);
                    }
                }
            }
        }
        if let Some(top) = self.scopes.top() {
            top.fields = fields;
        }
    }

    // ---- resolution ------------------------------------------------------

    /// Resolves a call path to a full path, guessing std for bare std
    /// modules/types when the call is not awaited. `None` for user code.
    fn resolve_call(&self, segs: &[String], awaited: bool) -> Option<Vec<String>> {
        self.resolve_call_as_written(segs, awaited).map(|(p, _)| p)
    }

    /// Like `resolve_call`, also telling whether nothing visible resolved it.
    fn resolve_call_as_written(
        &self,
        segs: &[String],
        awaited: bool,
    ) -> Option<(Vec<String>, bool)> {
        let (resolved, unresolved) = match self.scopes.resolve(segs, &known_path) {
            Resolution::Local => return None,
            Resolution::Resolved(p) => (p, false),
            Resolution::Unresolved(p) if awaited => (p, true),
            Resolution::Unresolved(p) => (guess_std(p), true),
        };
        Some((canonical_call(resolved), unresolved))
    }

    fn type_of_syn(&self, ty: &Type) -> Option<Ty> {
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
                let path = match self
                    .scopes
                    .resolve(&segs, &|c| tracked(&c.join("::")).is_some())
                {
                    Resolution::Local => return None,
                    Resolution::Resolved(p) => p,
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
    fn type_of(&self, e: &Expr) -> Option<Yields> {
        match e {
            Expr::Paren(p) => self.type_of(&p.expr),
            Expr::Group(g) => self.type_of(&g.expr),
            Expr::Reference(r) => self.type_of(&r.expr),
            Expr::Try(t) => self.type_of(&t.expr),
            Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => self.type_of(&u.expr),
            Expr::Path(p) if p.qself.is_none() => {
                let id = p.path.get_ident()?;
                self.scopes.var(&id.to_string()).map(Yields::One)
            }
            Expr::Field(f) => match (&*f.base, &f.member) {
                (Expr::Path(base), syn::Member::Named(name)) if base.path.is_ident("self") => {
                    self.scopes.field(&name.to_string()).map(Yields::One)
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
                let path = self.resolve_call(&segs, false)?.join("::");
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
                let Some(Yields::One(on)) = self.type_of(&m.receiver) else {
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

    // ---- findings --------------------------------------------------------

    fn report(&mut self, span_of: &dyn ToTokens, message: String) {
        self.errors.push(syn::Error::new_spanned(span_of, message));
    }

    fn check_call(&mut self, c: &ExprCall, awaited: bool) {
        let Some(written) = call_segments(c) else {
            return;
        };
        // Only a catalogue or `extra` name, or a renamed import, can match.
        let (Some(first), Some(last)) = (written.first(), written.last()) else {
            return;
        };
        let candidate = index().names.contains(last.as_str())
            || self.opts.extra.iter().any(|e| e.last() == Some(last))
            || (written.len() == 1 && self.scopes.is_alias(first));
        if !candidate {
            return;
        }
        let Some((resolved, unresolved)) = self.resolve_call_as_written(&written, awaited) else {
            return;
        };
        let path = resolved.join("::");
        if resolved.first().is_some_and(|s| s == "tokio") {
            return;
        }
        if let Some(entry) = index().by_path.get(path.as_str()) {
            if !self.opts.allows(entry.path) {
                self.report(c, entry.message(entry.path));
            }
            return;
        }
        if let Some(extra) = self.opts.extra_match(&resolved, unresolved && !awaited) {
            self.report(
                c,
                format!(
                    "`{extra}` is listed as blocking in this `#[deny_blocking(extra = [..])]`; \
                     use an async alternative with `.await`, or move the work into \
                     `tokio::task::spawn_blocking`"
                ),
            );
        }
    }

    fn check_method(&mut self, m: &ExprMethodCall, name: &str) {
        let Some(entries) = index().methods.get(name) else {
            return;
        };
        let argc = m.args.len();
        let receiver = match self.type_of(&m.receiver) {
            Some(Yields::One(t)) => Some(t),
            _ => None,
        };
        let found = entries.iter().find_map(|&e| match e.kind {
            Kind::Method { on, args } => {
                let t = receiver.filter(|t| on.contains(t))?;
                args.is_none_or(|a| a == argc)
                    .then(|| (e, format!("{t}::{name}")))
            }
            Kind::NamedMethod { args } => {
                let fits = args.is_none_or(|a| a == argc) && !self.scopes.defines_method(name);
                let shown = receiver.map_or_else(|| e.path.to_string(), |t| format!("{t}::{name}"));
                fits.then_some((e, shown))
            }
            Kind::QueryMethod { conns } => {
                let conn = m.args.first().and_then(|a| self.type_of(a));
                matches!(conn, Some(Yields::One(t)) if conns.contains(&t))
                    .then(|| (e, e.path.to_string()))
            }
            Kind::Function | Kind::AssociatedFunction => None,
        });
        if let Some((entry, shown)) = found {
            if !self.opts.allows(entry.path) && !self.opts.allows(&shown) {
                let message = entry.message(&shown);
                self.report(&method_span_tokens(m), message);
            }
        }
    }

    fn check_receiver_loop(&mut self, iterable: &Expr) {
        let entry = CATALOGUE
            .iter()
            .find(|e| e.path == "std::sync::mpsc::Receiver::iter");
        if let Some(entry) = entry {
            if !self.opts.allows(entry.path) {
                let message = entry.message("std::sync::mpsc::Receiver::into_iter");
                self.report(iterable, message);
            }
        }
    }

    // ---- walking ---------------------------------------------------------

    fn visit_call(&mut self, c: &ExprCall, awaited: bool) {
        if self.in_async {
            self.check_call(c, awaited);
        }
        let last = call_segments(c)
            .and_then(|s| s.last().cloned())
            .unwrap_or_default();
        let insulating = INSULATING.contains(&last.as_str());
        let futures = awaited || FUTURE_CONSUMERS.contains(&last.as_str());
        self.visit_expr(&c.func);
        for arg in &c.args {
            self.visit_arg(arg, insulating, futures);
        }
    }

    fn visit_method_call(&mut self, m: &ExprMethodCall, awaited: bool) {
        let name = m.method.to_string();
        let adapter = awaited && ADAPTERS.contains(&name.as_str());
        // The receiver first, so findings come out in source order.
        self.visit_awaited(&m.receiver, adapter);
        if self.in_async && !awaited {
            self.check_method(m, &name);
        }
        let insulating = INSULATING.contains(&name.as_str());
        let futures = FUTURE_CONSUMERS.contains(&name.as_str());
        for arg in &m.args {
            self.visit_arg(arg, insulating, futures);
        }
    }

    fn visit_arg(&mut self, arg: &Expr, insulating: bool, futures: bool) {
        match arg {
            Expr::Closure(c) if insulating && c.asyncness.is_none() => {
                self.visit_closure(c, Some(false))
            }
            _ => self.visit_awaited(arg, futures),
        }
    }

    /// `in_async`: `Some(false)` for closures run off the executor.
    fn visit_closure(&mut self, c: &ExprClosure, in_async: Option<bool>) {
        if self.allowed(&c.attrs) {
            return;
        }
        let mut frame = Frame::default();
        for input in &c.inputs {
            let ty = match input {
                Pat::Type(pt) => self.type_of_syn(&pt.ty).map(Yields::One),
                _ => None,
            };
            bind_pat(&mut frame, input, ty);
        }
        let mode = if c.asyncness.is_some() {
            true
        } else {
            in_async.unwrap_or(self.in_async)
        };
        self.scopes.push(frame);
        self.with_context(mode, |s| s.visit_expr(&c.body));
        self.scopes.pop();
    }

    fn visit_macro_args(&mut self, mac: &Macro, awaited: bool) {
        let kind = macro_args::kind_of(mac);
        if kind != MacroKind::Opaque && !self.may_find_in(&mac.tokens) {
            return;
        }
        match kind {
            MacroKind::Opaque => self.markers |= mentions_marker(&mac.tokens),
            MacroKind::Futures => {
                for e in macro_args::exprs(&mac.tokens).unwrap_or_default() {
                    self.visit_awaited(&e, true);
                }
            }
            MacroKind::Vec => {
                for e in macro_args::exprs(&mac.tokens).unwrap_or_default() {
                    self.visit_awaited(&e, awaited);
                }
            }
            MacroKind::Exprs => {
                for e in macro_args::exprs(&mac.tokens).unwrap_or_default() {
                    self.visit_awaited(&e, false);
                }
            }
            MacroKind::Select => {
                if let Some(sel) = macro_args::select(&mac.tokens) {
                    for e in &sel.futures {
                        self.visit_awaited(e, true);
                    }
                    for e in &sel.others {
                        self.visit_awaited(e, false);
                    }
                }
            }
        }
    }

    /// Whether `tokens` name anything a finding needs (a catalogue or
    /// `extra` name, a renamed import) or hold a marker to strip.
    fn may_find_in(&self, tokens: &TokenStream) -> bool {
        let names = &index().names;
        macro_args::mentions(tokens, &mut |id| {
            let id = id.to_string();
            id == "allow_blocking"
                || names.contains(id.as_str())
                || self.opts.extra.iter().any(|e| e.last() == Some(&id))
                || self.scopes.is_alias(&id)
        })
    }

    fn visit_local(&mut self, local: &Local) {
        let ty = match &local.pat {
            Pat::Type(pt) => self.type_of_syn(&pt.ty).map(Yields::One),
            _ => local.init.as_ref().and_then(|i| self.type_of(&i.expr)),
        };
        if let Some(init) = &local.init {
            let awaited = pat_ident(&local.pat).is_some_and(|n| self.futures.contains(&n));
            self.visit_awaited(&init.expr, awaited);
            if let Some((_, diverge)) = &init.diverge {
                self.visit_awaited(diverge, false);
            }
        }
        if let Some(top) = self.scopes.top() {
            bind_pat(top, &local.pat, ty);
        }
    }
}

impl<'ast> Visit<'ast> for Checker<'_> {
    fn visit_expr(&mut self, e: &'ast Expr) {
        let awaited = std::mem::take(&mut self.awaited);
        if self.allowed(expr_attrs(e)) {
            return;
        }
        match e {
            Expr::Await(a) => self.visit_awaited(&a.base, true),
            Expr::Paren(p) => self.visit_awaited(&p.expr, awaited),
            Expr::Group(g) => self.visit_awaited(&g.expr, awaited),
            Expr::Call(c) => self.visit_call(c, awaited),
            Expr::MethodCall(m) => self.visit_method_call(m, awaited),
            Expr::Macro(m) => self.visit_macro_args(&m.mac, awaited),
            Expr::Closure(c) => self.visit_closure(c, None),
            // The enclosing fn's evidence pass already covered this block.
            Expr::Async(a) => self.with_context(true, |s| s.visit_block(&a.block)),
            Expr::ForLoop(f) => {
                self.visit_expr(&f.expr);
                let mut ty = self.type_of(&f.expr);
                // `for msg in rx` blocks on every message, like `rx.iter()`.
                if ty == Some(Yields::One(RECEIVER)) {
                    ty = None;
                    if self.in_async {
                        self.check_receiver_loop(&f.expr);
                    }
                }
                let mut frame = Frame::default();
                bind_pat(&mut frame, &f.pat, ty);
                self.scopes.push(frame);
                self.visit_block(&f.body);
                self.scopes.pop();
            }
            _ => visit::visit_expr(self, e),
        }
    }

    fn visit_block(&mut self, b: &'ast Block) {
        // A block binds names only through items and `let`s.
        let scoped = b
            .stmts
            .iter()
            .any(|s| matches!(s, Stmt::Item(_) | Stmt::Local(_)));
        if scoped {
            let items = b.stmts.iter().filter_map(|s| match s {
                Stmt::Item(i) => Some(i),
                _ => None,
            });
            self.scopes.push(Frame::with_items(items, false));
        }
        for stmt in &b.stmts {
            self.visit_stmt(stmt);
        }
        if scoped {
            self.scopes.pop();
        }
    }

    fn visit_stmt(&mut self, s: &'ast Stmt) {
        match s {
            Stmt::Local(l) if self.allowed(&l.attrs) => {
                if let Some(top) = self.scopes.top() {
                    bind_pat(top, &l.pat, None);
                }
            }
            Stmt::Local(l) => self.visit_local(l),
            Stmt::Item(item) => {
                let saved = (self.in_async, self.awaited);
                self.check_item(item);
                (self.in_async, self.awaited) = saved;
            }
            Stmt::Expr(e, _) => self.visit_awaited(e, false),
            Stmt::Macro(m) if self.allowed(&m.attrs) => {}
            Stmt::Macro(m) => self.visit_macro_args(&m.mac, false),
        }
    }

    // Items are handled by `check_item`; the default walk must not enter
    // them with the surrounding context.
    fn visit_item(&mut self, item: &'ast Item) {
        self.check_item(item);
    }
}

// ---- helpers -------------------------------------------------------------

/// Path segments of a call's function, when it is a plain path.
fn call_segments(c: &ExprCall) -> Option<Vec<String>> {
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

fn pat_ident(p: &Pat) -> Option<String> {
    match p {
        Pat::Ident(i) => Some(i.ident.to_string()),
        Pat::Type(t) => pat_ident(&t.pat),
        _ => None,
    }
}

/// Binds the names in `pat`, typed when `ty` fits the pattern's shape.
fn bind_pat(frame: &mut Frame, pat: &Pat, ty: Option<Yields>) {
    match (pat, ty) {
        (Pat::Ident(i), Some(Yields::One(t))) => {
            frame.vars.insert(i.ident.to_string(), Some(t));
        }
        (Pat::Type(pt), ty) => bind_pat(frame, &pt.pat, ty),
        (Pat::Reference(r), ty) => bind_pat(frame, &r.pat, ty),
        (Pat::Paren(p), ty) => bind_pat(frame, &p.pat, ty),
        (Pat::Tuple(t), Some(Yields::Pair(a, b))) if t.elems.len() == 2 => {
            bind_pat(frame, &t.elems[0], Some(Yields::One(a)));
            bind_pat(frame, &t.elems[1], Some(Yields::One(b)));
        }
        // `let Ok(file) = File::open(p) else { .. }`
        (Pat::TupleStruct(ts), Some(ty)) if ts.elems.len() == 1 => {
            bind_pat(frame, &ts.elems[0], Some(ty))
        }
        (pat, _) => {
            let mut names = PatNames(Vec::new());
            names.visit_pat(pat);
            for n in names.0 {
                frame.vars.insert(n, None);
            }
        }
    }
}

struct PatNames(Vec<String>);

impl<'ast> Visit<'ast> for PatNames {
    fn visit_pat_ident(&mut self, i: &'ast syn::PatIdent) {
        self.0.push(i.ident.to_string());
        visit::visit_pat_ident(self, i);
    }
}

/// Names bound by `let` that are later awaited, or handed to `join!`,
/// `select!`, `timeout(..)` and other future consumers.
fn future_names(block: &Block) -> HashSet<String> {
    let mut names = FutureNames::default();
    names.visit_block(block);
    names.0
}

#[derive(Default)]
struct FutureNames(HashSet<String>);

impl FutureNames {
    fn mark(&mut self, e: &Expr) {
        match e {
            Expr::Path(p) => {
                if let Some(id) = p.path.get_ident() {
                    self.0.insert(id.to_string());
                }
            }
            Expr::Reference(r) => self.mark(&r.expr),
            Expr::Paren(p) => self.mark(&p.expr),
            Expr::Group(g) => self.mark(&g.expr),
            Expr::MethodCall(m) if ADAPTERS.contains(&m.method.to_string().as_str()) => {
                self.mark(&m.receiver)
            }
            _ => {}
        }
    }
}

impl<'ast> Visit<'ast> for FutureNames {
    fn visit_expr_await(&mut self, a: &'ast syn::ExprAwait) {
        self.mark(&a.base);
        match &*a.base {
            Expr::Call(c) => c.args.iter().for_each(|x| self.mark(x)),
            Expr::MethodCall(m) => m.args.iter().for_each(|x| self.mark(x)),
            _ => {}
        }
        visit::visit_expr_await(self, a);
    }

    fn visit_expr_call(&mut self, c: &'ast ExprCall) {
        let last = call_segments(c)
            .and_then(|s| s.last().cloned())
            .unwrap_or_default();
        if FUTURE_CONSUMERS.contains(&last.as_str()) {
            c.args.iter().for_each(|x| self.mark(x));
        }
        visit::visit_expr_call(self, c);
    }

    fn visit_expr_method_call(&mut self, m: &'ast ExprMethodCall) {
        if FUTURE_CONSUMERS.contains(&m.method.to_string().as_str()) {
            m.args.iter().for_each(|x| self.mark(x));
        }
        visit::visit_expr_method_call(self, m);
    }

    // Read from tokens, not parsed: this pass runs over every fn body.
    fn visit_macro(&mut self, mac: &'ast Macro) {
        let mut names = Vec::new();
        macro_args::future_idents(&mac.tokens, macro_args::kind_of(mac), &mut names);
        self.0.extend(names);
    }

    // Nested fns have their own evidence.
    fn visit_item(&mut self, _: &'ast Item) {}
}

/// Whether unread macro tokens mention `allow_blocking` anywhere.
fn mentions_marker(tokens: &TokenStream) -> bool {
    tokens.clone().into_iter().any(|tt| match tt {
        TokenTree::Ident(i) => i == "allow_blocking",
        TokenTree::Group(g) => mentions_marker(&g.stream()),
        _ => false,
    })
}

/// Tokens spanning a method call from its name to its closing parenthesis.
fn method_span_tokens(m: &ExprMethodCall) -> TokenStream {
    let mut group = Group::new(Delimiter::Parenthesis, TokenStream::new());
    group.set_span(m.paren_token.span.join());
    let mut ts = TokenStream::new();
    ts.extend([TokenTree::Ident(m.method.clone()), TokenTree::Group(group)]);
    ts
}

pub(crate) fn item_attrs(item: &Item) -> &[syn::Attribute] {
    match item {
        Item::Const(i) => &i.attrs,
        Item::Enum(i) => &i.attrs,
        Item::ExternCrate(i) => &i.attrs,
        Item::Fn(i) => &i.attrs,
        Item::ForeignMod(i) => &i.attrs,
        Item::Impl(i) => &i.attrs,
        Item::Macro(i) => &i.attrs,
        Item::Mod(i) => &i.attrs,
        Item::Static(i) => &i.attrs,
        Item::Struct(i) => &i.attrs,
        Item::Trait(i) => &i.attrs,
        Item::TraitAlias(i) => &i.attrs,
        Item::Type(i) => &i.attrs,
        Item::Union(i) => &i.attrs,
        Item::Use(i) => &i.attrs,
        _ => &[],
    }
}

fn expr_attrs(e: &Expr) -> &[syn::Attribute] {
    match e {
        Expr::Array(x) => &x.attrs,
        Expr::Assign(x) => &x.attrs,
        Expr::Async(x) => &x.attrs,
        Expr::Await(x) => &x.attrs,
        Expr::Binary(x) => &x.attrs,
        Expr::Block(x) => &x.attrs,
        Expr::Break(x) => &x.attrs,
        Expr::Call(x) => &x.attrs,
        Expr::Cast(x) => &x.attrs,
        Expr::Closure(x) => &x.attrs,
        Expr::Const(x) => &x.attrs,
        Expr::Continue(x) => &x.attrs,
        Expr::Field(x) => &x.attrs,
        Expr::ForLoop(x) => &x.attrs,
        Expr::Group(x) => &x.attrs,
        Expr::If(x) => &x.attrs,
        Expr::Index(x) => &x.attrs,
        Expr::Infer(x) => &x.attrs,
        Expr::Let(x) => &x.attrs,
        Expr::Lit(x) => &x.attrs,
        Expr::Loop(x) => &x.attrs,
        Expr::Macro(x) => &x.attrs,
        Expr::Match(x) => &x.attrs,
        Expr::MethodCall(x) => &x.attrs,
        Expr::Paren(x) => &x.attrs,
        Expr::Path(x) => &x.attrs,
        Expr::Range(x) => &x.attrs,
        Expr::RawAddr(x) => &x.attrs,
        Expr::Reference(x) => &x.attrs,
        Expr::Repeat(x) => &x.attrs,
        Expr::Return(x) => &x.attrs,
        Expr::Struct(x) => &x.attrs,
        Expr::Try(x) => &x.attrs,
        Expr::TryBlock(x) => &x.attrs,
        Expr::Tuple(x) => &x.attrs,
        Expr::Unary(x) => &x.attrs,
        Expr::Unsafe(x) => &x.attrs,
        Expr::While(x) => &x.attrs,
        Expr::Yield(x) => &x.attrs,
        _ => &[],
    }
}
