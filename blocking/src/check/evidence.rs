//! Evidence that a `let` binding holds a future: it is awaited later, or
//! handed to `join!`, `select!`, `timeout(..)` and other future consumers.

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

/// Names bound by `let` that are later awaited, or handed to `join!`,
/// `select!`, `timeout(..)` and other future consumers.
pub(super) fn future_names(block: &Block) -> HashSet<String> {
    let mut names = FutureNames::default();
    names.visit_block(block);
    names.0
}

#[derive(Default)]
pub(super) struct FutureNames(pub(super) HashSet<String>);

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
