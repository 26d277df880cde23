//! A lock guard alive across an `.await`: `let guard = m.lock().unwrap();`
//! then an `.await` in the same block before the guard is dropped. A std or
//! parking_lot guard then keeps every other task that wants the lock
//! waiting, and their executor threads with them, for as long as this task
//! sleeps. A lock taken and released within one statement is not one.
//!
//! Without types, a guard is the value of a zero-argument `lock()`,
//! `read()` or `write()` that is not awaited (tokio's and futures' locks
//! are awaited), bare or unwrapped (`.unwrap()`, `.expect(..)`, `?`).

use syn::visit::{self, Visit};
use syn::{Block, Expr, Pat, Stmt};

use super::{Checker, Hit};

/// Zero-argument methods whose unawaited value is a lock guard.
const LOCKS: &[&str] = &["lock", "read", "write"];

/// What unwraps a poisoned lock's `Result` and keeps the guard.
const UNWRAPS: &[&str] = &["unwrap", "expect", "unwrap_or_else"];

impl Checker<'_> {
    /// Reports each guard bound in `block` that an `.await` later in the
    /// block outlives.
    pub(super) fn check_guards(&mut self, block: &Block) {
        for (i, stmt) in block.stmts.iter().enumerate() {
            let Stmt::Local(local) = stmt else { continue };
            let (Some(init), Some(name)) = (&local.init, bound_name(&local.pat)) else {
                continue;
            };
            let Some(lock) = guard_lock(&init.expr) else {
                continue;
            };
            if self.allowed(&local.attrs) {
                continue;
            }
            let rest = &block.stmts[i + 1..];
            let Some(await_line) = first_await_before_drop(rest, &name) else {
                continue;
            };
            let message = format!(
                "the lock guard `{name}` (from `.{lock}()`) is held across the `.await` on line \
                 {await_line}: while this task sleeps, every task that wants the lock blocks its \
                 executor thread; drop the guard before the `.await` (end its block or \
                 `drop({name})`), or use `tokio::sync::Mutex`/`RwLock` and `.{lock}().await`"
            );
            let hit = Hit {
                shown: format!(".{lock}()"),
                entry: None,
                guard: true,
            };
            self.report(&init.expr, message, hit);
        }
    }
}

fn bound_name(pat: &Pat) -> Option<String> {
    match pat {
        Pat::Ident(i) if i.ident != "_" => Some(i.ident.to_string()),
        Pat::Type(t) => bound_name(&t.pat),
        _ => None,
    }
}

/// The lock method when `e` evaluates to a guard.
fn guard_lock(e: &Expr) -> Option<String> {
    match e {
        Expr::Try(t) => guard_lock(&t.expr),
        Expr::Paren(p) => guard_lock(&p.expr),
        Expr::MethodCall(m) => {
            let name = m.method.to_string();
            if UNWRAPS.contains(&name.as_str()) {
                return guard_lock(&m.receiver);
            }
            (LOCKS.contains(&name.as_str()) && m.args.is_empty()).then_some(name)
        }
        _ => None,
    }
}

/// The line of the first `.await` in `stmts` run while `name` is alive:
/// none once a statement `drop(name);` comes first.
fn first_await_before_drop(stmts: &[Stmt], name: &str) -> Option<usize> {
    for stmt in stmts {
        if is_drop_of(stmt, name) {
            return None;
        }
        // Shadowed by a new `let` of the same name: the old guard lives on,
        // so keep looking.
        let mut awaits = Awaits(None);
        awaits.visit_stmt(stmt);
        if let Some(line) = awaits.0 {
            return Some(line);
        }
    }
    None
}

fn is_drop_of(stmt: &Stmt, name: &str) -> bool {
    let Stmt::Expr(Expr::Call(c), _) = stmt else {
        return false;
    };
    let is_drop = matches!(&*c.func, Expr::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "drop"));
    is_drop && matches!(c.args.first(), Some(Expr::Path(p)) if p.path.is_ident(name))
}

/// The line of the first `.await` run by the code itself: not inside a
/// closure, an async block or a nested item, which run (if ever) apart.
struct Awaits(Option<usize>);

impl<'ast> Visit<'ast> for Awaits {
    fn visit_expr_await(&mut self, a: &'ast syn::ExprAwait) {
        if self.0.is_none() {
            self.0 = Some(a.await_token.span.start().line);
        }
    }
    fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
    fn visit_expr_async(&mut self, _: &'ast syn::ExprAsync) {}
    fn visit_item(&mut self, _: &'ast syn::Item) {}
    fn visit_expr(&mut self, e: &'ast Expr) {
        if self.0.is_none() {
            visit::visit_expr(self, e);
        }
    }
}
