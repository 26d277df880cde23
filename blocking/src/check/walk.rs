//! The walk: which code runs on the executor, which expressions are
//! awaited, and which names are bound with which tracked type.

use proc_macro2::{Span, TokenStream};
use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Block, Expr, ExprCall, ExprClosure, ExprMethodCall, Item, Local, Macro, Pat, Stmt};

use super::evidence::{ADAPTERS, FUTURE_CONSUMERS, INSULATING};
use super::findings::blocking_loop;
use super::resolve::{call_segments, pat_ident};
use super::{Checker, OwnCall, OwnTarget, Usage};
use crate::attrs::expr_attrs;
use crate::catalogue::index;
use crate::macro_args::{self, MacroKind};
use crate::scope::{Frame, OwnType};
use crate::types::{ADD, PER_ELEMENT, TRANSPARENT_CALLS, Yields};
use crate::util::mentions;

impl Checker<'_> {
    pub(super) fn visit_call(&mut self, c: &ExprCall, usage: Usage) {
        if self.in_async {
            self.check_call(c, usage);
            self.record_own_call(c);
        }
        let segs = call_segments(c).unwrap_or_default();
        let last = segs.last().map(String::as_str).unwrap_or_default();
        let tail = segs[segs.len().saturating_sub(2)..].join("::");
        let insulating = INSULATING.contains(&last);
        // A wrapper (`Box::new`, `Ok`, `BufReader::new`) passes its
        // argument's use through; an unknown fn says nothing about it.
        let arg_usage = if usage == Usage::Awaited || FUTURE_CONSUMERS.contains(&last) {
            Usage::Awaited
        } else if TRANSPARENT_CALLS.contains(&last) || TRANSPARENT_CALLS.contains(&tail.as_str()) {
            usage
        } else {
            Usage::Unknown
        };
        self.visit_expr(&c.func);
        for arg in &c.args {
            self.visit_arg(arg, insulating, arg_usage);
        }
    }

    pub(super) fn visit_method_call(&mut self, m: &ExprMethodCall, usage: Usage) {
        let name = m.method.to_string();
        // `fut.map(..).await` awaits `fut`; any other method uses its
        // receiver as a plain value.
        let receiver = if usage == Usage::Awaited && ADAPTERS.contains(&name.as_str()) {
            Usage::Awaited
        } else {
            Usage::Sync
        };
        // The receiver first, so findings come out in source order.
        self.visit_used(&m.receiver, receiver);
        if self.in_async && usage != Usage::Awaited {
            self.check_method(m, &name);
        }
        if self.in_async && self.own_calls.is_some() {
            let target = self.method_target(m);
            let span = (m.method.span(), m.paren_token.span.close());
            self.push_own_call(target, span);
        }
        let insulating = INSULATING.contains(&name.as_str());
        let arg_usage = if FUTURE_CONSUMERS.contains(&name.as_str()) {
            Usage::Awaited
        } else {
            Usage::Unknown
        };
        let element = match self.type_of(&m.receiver) {
            Some(Yields::Each(t)) if PER_ELEMENT.contains(&name.as_str()) => Some(Yields::One(t)),
            _ => None,
        };
        for arg in &m.args {
            match arg {
                Expr::Closure(c) if element.is_some() && !insulating => {
                    self.visit_closure(c, None, element)
                }
                _ => self.visit_arg(arg, insulating, arg_usage),
            }
        }
        self.learn_element(m, &name);
    }

    /// Records a call to a path of the crate's own (whatever its value's
    /// use: a sync callee runs its body at the call).
    fn record_own_call(&mut self, c: &ExprCall) {
        if self.own_calls.is_none() {
            return;
        }
        let Some(target) = self.call_target(c) else {
            return;
        };
        let first = c.func.span();
        self.push_own_call(target, (first, c.paren_token.span.close()));
    }

    fn push_own_call(&mut self, target: OwnTarget, span: (Span, Span)) {
        if let Some(calls) = &mut self.own_calls {
            calls.push(OwnCall { target, span });
        }
    }

    /// `handles.push(std::thread::spawn(..))`: `handles` holds join handles.
    fn learn_element(&mut self, m: &ExprMethodCall, name: &str) {
        let (Expr::Path(p), Some(arg), 1) = (&*m.receiver, m.args.first(), m.args.len()) else {
            return;
        };
        let Some(var) = p.path.get_ident() else {
            return;
        };
        if ADD.contains(&name)
            && let Some(Yields::One(t)) = self.type_of(arg)
        {
            self.scopes.learn_var(&var.to_string(), Yields::Each(t));
        }
    }

    fn visit_arg(&mut self, arg: &Expr, insulating: bool, usage: Usage) {
        match arg {
            Expr::Closure(c) if insulating && c.asyncness.is_none() => {
                self.visit_closure(c, Some(false), None)
            }
            Expr::Paren(p) if insulating => self.visit_arg(&p.expr, insulating, usage),
            // `spawn_blocking({ let p = p.clone(); move || read(p) })`: the
            // block's statements run here, its closure off the executor.
            Expr::Block(b) if insulating && b.label.is_none() => self
                .visit_block_with_tail(&b.block, &mut |s, tail| {
                    s.visit_arg(tail, insulating, usage)
                }),
            _ => self.visit_used(arg, usage),
        }
    }

    /// Visits a block's statements, its tail expression (the block's value)
    /// through `tail`.
    fn visit_block_with_tail(&mut self, b: &Block, tail: &mut dyn FnMut(&mut Self, &Expr)) {
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
        if self.guards && self.in_async && !self.summary {
            self.check_guards(b);
        }
        for (i, stmt) in b.stmts.iter().enumerate() {
            match stmt {
                Stmt::Expr(e, None) if i + 1 == b.stmts.len() => tail(self, e),
                _ => self.visit_stmt(stmt),
            }
        }
        if scoped {
            self.scopes.pop();
        }
    }

    /// `in_async`: `Some(false)` for closures run off the executor.
    /// `element`: the type of the first parameter when the closure is
    /// called on each element of a tracked collection.
    pub(super) fn visit_closure(
        &mut self,
        c: &ExprClosure,
        in_async: Option<bool>,
        element: Option<Yields>,
    ) {
        if self.allowed(&c.attrs) {
            return;
        }
        let mut frame = Frame::default();
        for (i, input) in c.inputs.iter().enumerate() {
            let ty = match input {
                Pat::Type(pt) => self.yields_of_syn(&pt.ty),
                _ if i == 0 => element,
                _ => None,
            };
            bind_pat(&mut frame, input, ty);
            if let Pat::Type(pt) = input {
                self.bind_own_type(&mut frame, &pt.pat, &pt.ty);
            }
        }
        if c.asyncness.is_some() && self.summary {
            return;
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

    pub(super) fn visit_macro_args(&mut self, mac: &Macro, usage: Usage) {
        let kind = macro_args::kind_of(mac);
        // Calls into the crate hide in any macro argument (`assert!(f())`).
        let following = self.own_calls.is_some() && self.in_async;
        if kind != MacroKind::Opaque && !following && !self.may_find_in(&mac.tokens) {
            return;
        }
        match kind {
            MacroKind::Opaque => {
                self.markers |= mentions(&mac.tokens, &mut |i| i == "allow_blocking")
            }
            MacroKind::Futures => {
                for e in macro_args::exprs(&mac.tokens).unwrap_or_default() {
                    self.visit_used(&e, Usage::Awaited);
                }
            }
            MacroKind::Vec => {
                for e in macro_args::exprs(&mac.tokens).unwrap_or_default() {
                    self.visit_used(&e, usage);
                }
            }
            // Formatted, compared or asserted: futures are none of these.
            MacroKind::Exprs => {
                for e in macro_args::exprs(&mac.tokens).unwrap_or_default() {
                    self.visit_used(&e, Usage::Sync);
                }
            }
            MacroKind::Matches => {
                if let Some(scrutinee) = macro_args::matches_scrutinee(&mac.tokens) {
                    self.visit_used(&scrutinee, Usage::Sync);
                }
            }
            MacroKind::Select => {
                if let Some(sel) = macro_args::select(&mac.tokens) {
                    for e in &sel.futures {
                        self.visit_used(e, Usage::Awaited);
                    }
                    for e in &sel.others {
                        self.visit_used(e, Usage::Unknown);
                    }
                }
            }
        }
    }

    /// Whether `tokens` name anything a finding needs (a catalogue or
    /// `extra` name, a renamed import) or hold a marker to strip.
    fn may_find_in(&self, tokens: &TokenStream) -> bool {
        let names = &index().names;
        mentions(tokens, &mut |id| {
            let id = id.to_string();
            id == "allow_blocking"
                || names.contains(id.as_str())
                || self.opts.extra.iter().any(|e| e.last() == Some(&id))
                || self.scopes.is_alias(&id)
        })
    }

    pub(super) fn visit_local(&mut self, local: &Local) {
        let name = pat_ident(&local.pat);
        let usage = match &name {
            Some(n) if self.futures.contains(n) => Usage::Awaited,
            Some(n) if self.handed_on.contains(n) => Usage::Unknown,
            _ => Usage::Sync,
        };
        // An annotation says, unless it leaves the type to inference (`Vec<_>`).
        let annotated = match &local.pat {
            Pat::Type(pt) => self.yields_of_syn(&pt.ty),
            _ => None,
        };
        let ty = match annotated {
            Some(ty) => Some(ty),
            None if usage == Usage::Awaited => None,
            None => local.init.as_ref().and_then(|i| self.type_of(&i.expr)),
        };
        // Worked out before the binding hides what the initializer names.
        let own = self.own_binding(&local.pat, local.init.as_ref().map(|i| &*i.expr));
        if let Some(init) = &local.init {
            match &*init.expr {
                // `let work = move || read(p); spawn_blocking(work)`.
                Expr::Closure(c)
                    if c.asyncness.is_none()
                        && name.as_ref().is_some_and(|n| self.offloaded.contains(n)) =>
                {
                    self.visit_closure(c, Some(false), None)
                }
                _ => self.visit_used(&init.expr, usage),
            }
            if let Some((_, diverge)) = &init.diverge {
                self.visit_used(diverge, Usage::Unknown);
            }
        }
        if let Some(top) = self.scopes.top() {
            bind_pat(top, &local.pat, ty);
            if let Some((name, own)) = own {
                top.own_types.insert(name, own);
            }
        }
    }

    /// The name a pattern binds to a value of one of the crate's own types,
    /// and the type: annotated (`let s: Store`), or what the matched value
    /// gives (`let s = Store::open()?`, `if let Ok(s) = Store::open()`).
    fn own_binding(&self, pat: &Pat, value: Option<&Expr>) -> Option<(String, OwnType)> {
        self.own_calls.as_ref()?;
        let (pat, unwrap) = match pat {
            Pat::TupleStruct(ts)
                if ts.elems.len() == 1
                    && ts
                        .path
                        .segments
                        .last()
                        .is_some_and(|s| s.ident == "Ok" || s.ident == "Some") =>
            {
                (&ts.elems[0], true)
            }
            pat => (pat, false),
        };
        let name = pat_ident(pat)?;
        let own = match pat {
            Pat::Type(pt) => OwnType::of_syn(&pt.ty, self.self_ty.as_deref()),
            _ => self.own_type_of(value?),
        }?;
        let own = match unwrap {
            true => own.unwrapped(),
            false => own,
        };
        Some((name, own))
    }
}

impl Checker<'_> {
    /// Runs `f` with the names the `let`s of the condition `cond` bind in
    /// scope (`if let Some(s) = ..`, `while let .. && let ..`).
    fn with_let_bindings(&mut self, cond: &Expr, f: impl FnOnce(&mut Self)) {
        let mut lets = Vec::new();
        lets_of(cond, &mut lets);
        if lets.is_empty() {
            return f(self);
        }
        let mut frame = Frame::default();
        for l in lets {
            self.bind_matched(&mut frame, &l.pat, &l.expr);
        }
        self.scopes.push(frame);
        f(self);
        self.scopes.pop();
    }

    /// Binds the names of a pattern matched against `value`: they hide
    /// outer bindings, and one bound to a value of the crate's own types
    /// keeps the type (`Ok(s)` against `Store::open()`).
    fn bind_matched(&self, frame: &mut Frame, pat: &Pat, value: &Expr) {
        bind_pat(frame, pat, None);
        if let Some((name, own)) = self.own_binding(pat, Some(value)) {
            frame.own_types.insert(name, own);
        }
    }
}

/// The `let`s of an `if` or `while` condition, through `&&` chains.
fn lets_of<'e>(cond: &'e Expr, out: &mut Vec<&'e syn::ExprLet>) {
    match cond {
        Expr::Let(l) => out.push(l),
        Expr::Paren(p) => lets_of(&p.expr, out),
        Expr::Binary(b) if matches!(b.op, syn::BinOp::And(_)) => {
            lets_of(&b.left, out);
            lets_of(&b.right, out);
        }
        _ => {}
    }
}

impl<'ast> Visit<'ast> for Checker<'_> {
    fn visit_expr(&mut self, e: &'ast Expr) {
        let usage = std::mem::take(&mut self.usage);
        if self.allowed(expr_attrs(e)) {
            return;
        }
        let sync = Usage::Sync;
        match e {
            Expr::Await(a) => self.visit_used(&a.base, Usage::Awaited),
            Expr::Paren(p) => self.visit_used(&p.expr, usage),
            Expr::Group(g) => self.visit_used(&g.expr, usage),
            Expr::Reference(r) => self.visit_used(&r.expr, usage),
            Expr::Call(c) => self.visit_call(c, usage),
            Expr::MethodCall(m) => self.visit_method_call(m, usage),
            Expr::Macro(m) => self.visit_macro_args(&m.mac, usage),
            Expr::Try(t) => self.visit_used(&t.expr, sync),
            Expr::Unary(u) => self.visit_used(&u.expr, sync),
            Expr::Cast(c) => self.visit_used(&c.expr, sync),
            Expr::Field(f) => self.visit_used(&f.base, sync),
            Expr::Binary(b) => {
                self.visit_used(&b.left, sync);
                self.visit_used(&b.right, sync);
            }
            Expr::Index(i) => {
                self.visit_used(&i.expr, sync);
                self.visit_used(&i.index, sync);
            }
            Expr::If(i) => {
                self.visit_used(&i.cond, sync);
                self.with_let_bindings(&i.cond, |s| s.visit_block(&i.then_branch));
                if let Some((_, other)) = &i.else_branch {
                    self.visit_used(other, usage);
                }
            }
            Expr::While(w) => {
                self.visit_used(&w.cond, sync);
                self.with_let_bindings(&w.cond, |s| s.visit_block(&w.body));
            }
            Expr::Let(l) => self.visit_used(&l.expr, sync),
            Expr::Match(m) => {
                self.visit_used(&m.expr, sync);
                for arm in &m.arms {
                    let (pat, guard) = match &arm.pat {
                        Pat::Guard(guarded) => (&*guarded.pat, Some(&guarded.guard)),
                        pat => (pat, None),
                    };
                    let mut frame = Frame::default();
                    self.bind_matched(&mut frame, pat, &m.expr);
                    self.scopes.push(frame);
                    if let Some(guard) = guard {
                        self.visit_used(guard, sync);
                    }
                    self.visit_used(&arm.body, usage);
                    self.scopes.pop();
                }
            }
            Expr::Closure(c) => self.visit_closure(c, None, None),
            // The enclosing fn's evidence pass already covered this block.
            Expr::Async(_) if self.summary => {}
            Expr::Async(a) => self.with_context(true, |s| s.visit_block(&a.block)),
            Expr::ForLoop(f) => {
                // Iterated, which a future cannot be.
                self.visit_used(&f.expr, sync);
                let mut ty = self.type_of(&f.expr);
                if let Some(Yields::Each(t)) = ty {
                    ty = Some(Yields::One(t));
                }
                // `for msg in rx` blocks on every message, like `rx.iter()`;
                // `for e in WalkDir::new(p)` reads directories, like its `into_iter()`.
                if let Some(Yields::One(t)) = ty
                    && let Some(looped) = blocking_loop(t)
                {
                    ty = None;
                    if self.in_async {
                        self.check_blocking_loop(&f.expr, looped);
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
        self.visit_block_with_tail(b, &mut |s, tail| s.visit_expr(tail));
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
                let saved = (self.in_async, self.usage);
                self.check_item(item);
                (self.in_async, self.usage) = saved;
            }
            // A discarded value: a future there would never run.
            Stmt::Expr(e, Some(_)) => self.visit_used(e, Usage::Sync),
            Stmt::Expr(e, None) => self.visit_used(e, Usage::Unknown),
            Stmt::Macro(m) if self.allowed(&m.attrs) => {}
            Stmt::Macro(m) => self.visit_macro_args(&m.mac, Usage::Sync),
        }
    }

    // Items are handled by `check_item`; the default walk must not enter
    // them with the surrounding context.
    fn visit_item(&mut self, item: &'ast Item) {
        self.check_item(item);
    }
}

/// Binds the names in `pat`, typed when `ty` fits the pattern's shape.
pub(super) fn bind_pat(frame: &mut Frame, pat: &Pat, ty: Option<Yields>) {
    match (pat, ty) {
        (Pat::Ident(i), Some(ty @ (Yields::One(_) | Yields::Each(_)))) => {
            frame.bind(i.ident.to_string(), Some(ty));
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
                frame.bind(n, None);
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
