//! The compile-time blocking-call check behind `#[deny_blocking]`, also run
//! on `#[task_group]` bodies and `gather!` arguments.
//!
//! The check is syntax-only: it matches calls against the [`catalogue`],
//! resolving the `use` items it can see, and takes `.await` as evidence that
//! an ambiguous call is the async alternative. Findings are `syn::Error`s at
//! the call's span; callers emit them *together with* the unchanged item so
//! one mistake is one error.
//!
//! Entry points for other macros: [`CheckOptions`], [`check_block`],
//! [`check_fn`], [`check_expr`], [`strip_allow_blocking`] and [`combine`].

mod catalogue;
mod check;
mod macro_args;
mod options;
mod scope;
mod strip;
mod types;

#[cfg(test)]
mod tests;

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Item, spanned::Spanned};

use check::Checker;
pub(crate) use options::CheckOptions;
pub(crate) use strip::strip_allow_blocking;

/// Where `#[deny_blocking]` may go, for misuse errors.
const PLACEMENT: &str =
    "`#[deny_blocking]` goes on an `async fn`, an `impl` block or an inline `mod`";

/// Expands `#[deny_blocking(..)] item`: the item, unchanged except for
/// stripped `#[allow_blocking]` markers, preceded by one error per finding.
pub(crate) fn expand_deny_blocking(attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Vec::new();
    let opts = CheckOptions::parse(attr).unwrap_or_else(|e| {
        errors.push(e);
        CheckOptions::default()
    });
    // Markers are stripped only when the check saw one (or could not look).
    let mut markers = true;
    match syn::parse2::<Item>(item.clone()) {
        Ok(parsed) => match run_check(&parsed, &opts) {
            Ok(checker) => {
                markers = checker.markers;
                errors.extend(checker.errors);
            }
            Err(misuse) => errors.push(misuse),
        },
        Err(e) => errors.push(syn::Error::new(e.span(), PLACEMENT)),
    }
    let errors = combine(errors).map(|e| e.to_compile_error());
    let item = if markers {
        strip_allow_blocking(item)
    } else {
        item
    };
    quote!(#errors #item)
}

/// Expands `#[allow_blocking]` on an item: the marker itself does nothing; an
/// enclosing check reads it. Statement and expression markers never get here
/// because the enclosing check strips them.
pub(crate) fn expand_allow_blocking(attr: TokenStream, item: TokenStream) -> TokenStream {
    let error = (!attr.is_empty()).then(|| {
        syn::Error::new_spanned(
            &attr,
            "`#[allow_blocking]` takes no arguments; write `#[allow_blocking]`",
        )
        .to_compile_error()
    });
    quote!(#error #item)
}

/// Checks an item as `#[deny_blocking]` does, including misuse errors.
#[allow(
    dead_code,
    reason = "for callers that check whole items; the corpus test uses it"
)]
pub(crate) fn check_item(item: &Item, opts: &CheckOptions) -> Vec<syn::Error> {
    match run_check(item, opts) {
        Ok(checker) => checker.errors,
        Err(misuse) => vec![misuse],
    }
}

/// Runs the check over a well-placed item, or says where the attribute goes.
fn run_check<'a>(item: &Item, opts: &'a CheckOptions) -> Result<Checker<'a>, syn::Error> {
    let mut checker = Checker::new(opts);
    match item {
        Item::Fn(f) if f.sig.asyncness.is_none() && is_runtime_wrapper(&f.block) => {
            return Err(syn::Error::new(
                f.sig.ident.span(),
                "`#[deny_blocking]` must sit above `#[tokio::main]` (or `#[tokio::test]`): below it, \
                 it sees tokio's generated `block_on` wrapper instead of your `async fn`; \
                 write `#[deny_blocking]` first, then `#[tokio::main]`",
            ));
        }
        Item::Fn(f) if f.sig.asyncness.is_none() && !has_async_code(&f.block) => {
            return Err(syn::Error::new(
                f.sig.ident.span(),
                format!(
                    "{PLACEMENT}; `fn {}` is not async and contains no async block, so there is \
                     nothing to check",
                    f.sig.ident
                ),
            ));
        }
        Item::Fn(_) | Item::Impl(_) | Item::Trait(_) => {
            checker.check_module(std::slice::from_ref(item))
        }
        Item::Mod(m) => match &m.content {
            Some((_, items)) => checker.check_module(items),
            None => {
                return Err(syn::Error::new(
                    m.ident.span(),
                    format!(
                        "{PLACEMENT}; `mod {};` has its body in another file, which the macro cannot see: \
                         write the module inline, or put `#[deny_blocking]` on the async fns in that file",
                        m.ident
                    ),
                ));
            }
        },
        other => {
            return Err(syn::Error::new(
                item_name_span(other),
                format!("{PLACEMENT}; this item has no async code to check"),
            ));
        }
    }
    Ok(checker)
}

/// Checks an async fn body or async block: the block is async context.
#[allow(dead_code, reason = "entry point for macros that hold only a block")]
pub(crate) fn check_block(block: &syn::Block, opts: &CheckOptions) -> Vec<syn::Error> {
    let mut checker = Checker::new(opts);
    checker.check_async_block(block);
    checker.errors
}

/// Checks an async fn with its signature, so typed parameters
/// (`rx: std::sync::mpsc::Receiver<Job>`) count as visible receivers.
pub(crate) fn check_fn(
    sig: &syn::Signature,
    block: &syn::Block,
    opts: &CheckOptions,
) -> Vec<syn::Error> {
    let mut checker = Checker::new(opts);
    let mut sig = sig.clone();
    sig.asyncness = Some(Default::default());
    checker.check_fn(&sig, block);
    checker.errors
}

/// Checks an expression evaluated as a future in async context (a `gather!`
/// argument): the expression itself counts as awaited, its insides do not.
pub(crate) fn check_expr(expr: &syn::Expr, opts: &CheckOptions) -> Vec<syn::Error> {
    let mut checker = Checker::new(opts);
    checker.check_future_expr(expr);
    checker.errors
}

/// Folds findings into one error for `to_compile_error()` (`None` if empty).
pub(crate) fn combine(errors: Vec<syn::Error>) -> Option<syn::Error> {
    errors.into_iter().reduce(|mut all, e| {
        all.combine(e);
        all
    })
}

/// The span of an item's name, or of its first token.
fn item_name_span(item: &Item) -> proc_macro2::Span {
    match item {
        Item::Struct(i) => i.ident.span(),
        Item::Enum(i) => i.ident.span(),
        Item::Union(i) => i.ident.span(),
        Item::Const(i) => i.ident.span(),
        Item::Static(i) => i.ident.span(),
        Item::Type(i) => i.ident.span(),
        other => other.span(),
    }
}

/// Whether a non-async fn body is `#[tokio::main]`'s output: a runtime
/// built with `Builder` or `Runtime` and driven by `block_on`.
fn is_runtime_wrapper(block: &syn::Block) -> bool {
    let mut idents = Vec::new();
    collect_idents(quote!(#block), &mut idents);
    idents.iter().any(|i| i == "block_on")
        && idents.iter().any(|i| i == "tokio")
        && idents.iter().any(|i| i == "Builder" || i == "Runtime")
}

fn collect_idents(tokens: TokenStream, out: &mut Vec<String>) {
    for tt in tokens {
        match tt {
            proc_macro2::TokenTree::Ident(i) => out.push(i.to_string()),
            proc_macro2::TokenTree::Group(g) => collect_idents(g.stream(), out),
            _ => {}
        }
    }
}

/// Whether a sync fn holds async blocks or closures to check.
fn has_async_code(block: &syn::Block) -> bool {
    struct Finder(bool);
    impl<'ast> syn::visit::Visit<'ast> for Finder {
        fn visit_expr_async(&mut self, _: &'ast syn::ExprAsync) {
            self.0 = true;
        }
        fn visit_expr_closure(&mut self, c: &'ast syn::ExprClosure) {
            self.0 |= c.asyncness.is_some();
            syn::visit::visit_expr_closure(self, c);
        }
        fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
            self.0 |= f.sig.asyncness.is_some();
            syn::visit::visit_item_fn(self, f);
        }
    }
    let mut finder = Finder(false);
    syn::visit::Visit::visit_block(&mut finder, block);
    finder.0
}
