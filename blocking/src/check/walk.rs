//! The walk: which code runs on the executor, which expressions are
//! awaited, and which names are bound with which tracked type.

use proc_macro2::TokenStream;
use syn::visit::{self, Visit};
use syn::{Block, Expr, ExprCall, ExprClosure, ExprMethodCall, Item, Local, Macro, Pat, Stmt};

use super::Checker;
use super::evidence::{ADAPTERS, FUTURE_CONSUMERS};
use super::resolve::call_segments;
use crate::attrs::expr_attrs;
use crate::catalogue::index;
use crate::macro_args::{self, MacroKind};
use crate::scope::Frame;
use crate::types::Yields;
use crate::util::mentions;

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

impl Checker<'_> {
    pub(super) fn visit_call(&mut self, c: &ExprCall, awaited: bool) {
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

    pub(super) fn visit_method_call(&mut self, m: &ExprMethodCall, awaited: bool) {
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
    pub(super) fn visit_closure(&mut self, c: &ExprClosure, in_async: Option<bool>) {
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

    pub(super) fn visit_macro_args(&mut self, mac: &Macro, awaited: bool) {
        let kind = macro_args::kind_of(mac);
        if kind != MacroKind::Opaque && !self.may_find_in(&mac.tokens) {
            return;
        }
        match kind {
            MacroKind::Opaque => {
                self.markers |= mentions(&mac.tokens, &mut |i| i == "allow_blocking")
            }
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

    pub(super) fn visit_local(&mut self, local: &Local) {
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

fn pat_ident(p: &Pat) -> Option<String> {
    match p {
        Pat::Ident(i) => Some(i.ident.to_string()),
        Pat::Type(t) => pat_ident(&t.pat),
        _ => None,
    }
}

/// Binds the names in `pat`, typed when `ty` fits the pattern's shape.
pub(super) fn bind_pat(frame: &mut Frame, pat: &Pat, ty: Option<Yields>) {
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
