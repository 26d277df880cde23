//! Evidence about what a `let` binding holds: a future when it is awaited
//! later, or handed to `join!`, `select!`, `timeout(..)` and other future
//! consumers; nobody knows what when it is handed on to other code.

use std::collections::HashSet;

use syn::visit::{self, Visit};
use syn::{Block, Expr, ExprCall, ExprMethodCall, Item, Macro};

use super::resolve::call_segments;
use crate::macro_args;

/// Calls and methods whose arguments are futures (awaited by the callee).
pub(super) const FUTURE_CONSUMERS: &[&str] = &[
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

/// Calls and methods whose closure arguments run off the executor thread.
pub(super) const INSULATING: &[&str] = &[
    "spawn_blocking",
    "block_in_place",
    "spawn",
    "scope",
    "spawn_scoped",
];

/// Future adapters: `fut.map(..).await` awaits `fut` too.
pub(super) const ADAPTERS: &[&str] = &[
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

/// What a fn body (or a future expression) says about its `let` names.
#[derive(Default)]
pub(super) struct Evidence {
    /// Awaited later, or handed to a future consumer.
    pub(super) futures: HashSet<String>,
    /// Handed on: an argument of a call or method, a returned value, a
    /// struct field, a tuple or array element.
    pub(super) handed_on: HashSet<String>,
    /// Handed by name to `spawn_blocking` and the like, and never called
    /// here: a closure bound to one runs off the executor.
    pub(super) offloaded: HashSet<String>,
}

impl Evidence {
    pub(super) fn of_block(block: &Block) -> Self {
        let mut handed = HandedOn::default();
        handed.visit_block(block);
        let mut offloaded = Offloaded::default();
        offloaded.visit_block(block);
        Evidence {
            futures: future_names(block),
            handed_on: handed.0,
            offloaded: offloaded.names(),
        }
    }

    pub(super) fn of_expr(expr: &Expr) -> Self {
        let mut futures = FutureNames::default();
        futures.visit_expr(expr);
        let mut handed = HandedOn::default();
        handed.visit_expr(expr);
        let mut offloaded = Offloaded::default();
        offloaded.visit_expr(expr);
        Evidence {
            futures: futures.0,
            handed_on: handed.0,
            offloaded: offloaded.names(),
        }
    }
}

/// Names handed to an offloading call, and names called here.
#[derive(Default)]
struct Offloaded {
    handed: HashSet<String>,
    called: HashSet<String>,
}

impl Offloaded {
    /// Handed to an offloading call and never called on this thread.
    fn names(self) -> HashSet<String> {
        &self.handed - &self.called
    }
}

impl<'ast> Visit<'ast> for Offloaded {
    fn visit_expr_call(&mut self, c: &'ast ExprCall) {
        let segs = call_segments(c).unwrap_or_default();
        match segs.as_slice() {
            [only] => {
                self.called.insert(only.clone());
            }
            [.., last] if INSULATING.contains(&last.as_str()) => {
                self.handed
                    .extend(c.args.iter().filter_map(|a| name_in(a, false)));
            }
            _ => {}
        }
        visit::visit_expr_call(self, c);
    }

    fn visit_expr_method_call(&mut self, m: &'ast ExprMethodCall) {
        if INSULATING.contains(&m.method.to_string().as_str()) {
            self.handed
                .extend(m.args.iter().filter_map(|a| name_in(a, false)));
        }
        visit::visit_expr_method_call(self, m);
    }

    // Nested fns have their own evidence.
    fn visit_item(&mut self, _: &'ast Item) {}
}

/// Names handed on to code the check does not follow.
#[derive(Default)]
struct HandedOn(HashSet<String>);

impl HandedOn {
    fn mark(&mut self, e: &Expr) {
        self.0.extend(name_in(e, false));
    }
}

/// The `let` name `e` stands for, through `&`, parentheses and, when
/// `adapted`, future adapters (`fut.map(..)` is still `fut`).
fn name_in(e: &Expr, adapted: bool) -> Option<String> {
    match e {
        Expr::Path(p) => p.path.get_ident().map(ToString::to_string),
        Expr::Reference(r) => name_in(&r.expr, adapted),
        Expr::Paren(p) => name_in(&p.expr, adapted),
        Expr::Group(g) => name_in(&g.expr, adapted),
        Expr::MethodCall(m) if adapted && ADAPTERS.contains(&m.method.to_string().as_str()) => {
            name_in(&m.receiver, adapted)
        }
        _ => None,
    }
}

impl<'ast> Visit<'ast> for HandedOn {
    fn visit_expr(&mut self, e: &'ast Expr) {
        match e {
            Expr::Call(c) => c.args.iter().for_each(|a| self.mark(a)),
            Expr::MethodCall(m) => m.args.iter().for_each(|a| self.mark(a)),
            Expr::Return(r) => r.expr.iter().for_each(|a| self.mark(a)),
            Expr::Struct(s) => s.fields.iter().for_each(|f| self.mark(&f.expr)),
            Expr::Tuple(t) => t.elems.iter().for_each(|a| self.mark(a)),
            Expr::Array(a) => a.elems.iter().for_each(|x| self.mark(x)),
            _ => {}
        }
        visit::visit_expr(self, e);
    }

    fn visit_block(&mut self, b: &'ast Block) {
        // A block's value is handed to whoever takes the block's value.
        if let Some(syn::Stmt::Expr(tail, None)) = b.stmts.last() {
            self.mark(tail);
        }
        visit::visit_block(self, b);
    }

    fn visit_item(&mut self, _: &'ast Item) {}
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
        self.0.extend(name_in(e, true));
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
