//! The attribute front end of the blocking-call check (the checker itself is
//! the `taskgroup-blocking` crate): `#[deny_blocking]` and `#[allow_blocking]`,
//! with the placement errors only an attribute can make, and the stripping
//! of `#[allow_blocking]` markers from emitted code. `#[task_group]` bodies
//! and `gather!` arguments go through the same checker.
//!
//! Findings are `syn::Error`s at the call's span; callers emit them
//! *together with* the unchanged item so one mistake is one error.

mod strip;

#[cfg(test)]
mod tests;

use proc_macro2::TokenStream;
use quote::quote;
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::PathBuf;
use std::rc::Rc;
use syn::{Item, spanned::Spanned};
use taskgroup_blocking::util::{combine, is_tokio_main_output};

use taskgroup_blocking::{Checker, FileView};

pub(crate) use strip::strip_allow_blocking;
pub(crate) use taskgroup_blocking::{CheckOptions, check_expr};

/// Where `#[deny_blocking]` may go, for misuse errors.
const PLACEMENT: &str =
    "`#[deny_blocking]` goes on an `async fn`, an `impl` block or an inline `mod`";

thread_local! {
    /// The view of each file read in this process, with the length and
    /// modification time it was read at: a file with many annotated items is
    /// parsed once per compilation (and again when it changes, for
    /// long-lived hosts such as rust-analyzer). Views hold no spans, so they
    /// outlive the invocation that built them.
    static VIEWS: RefCell<HashMap<PathBuf, (Stamp, Rc<FileView>)>> = RefCell::default();
}

type Stamp = (u64, Option<std::time::SystemTime>);

/// What the source file the macro was invoked from declares, so the check
/// can see the `use` items and declarations around its item. `None` where
/// there is no such file (generated code) or it does not parse: the check
/// then sees only the item, as before Rust 1.88 made the file known.
pub(crate) fn invoking_file() -> Option<Rc<FileView>> {
    let path = proc_macro::Span::call_site().local_file()?;
    let meta = std::fs::metadata(&path).ok()?;
    let stamp = (meta.len(), meta.modified().ok());
    let cached = VIEWS.with(|views| {
        let views = views.borrow();
        let (at, view) = views.get(&path)?;
        (*at == stamp).then(|| Rc::clone(view))
    });
    if cached.is_some() {
        return cached;
    }
    let source = std::fs::read_to_string(&path).ok()?;
    let view = Rc::new(FileView::of(&syn::parse_file(&source).ok()?));
    VIEWS.with(|views| views.borrow_mut().insert(path, (stamp, Rc::clone(&view))));
    Some(view)
}

/// Expands `#[deny_blocking(..)] item`: the item, unchanged except for
/// stripped `#[allow_blocking]` markers, preceded by one error per finding.
/// `file` is the invoking file, where known.
pub(crate) fn expand_deny_blocking(
    attr: TokenStream,
    item: TokenStream,
    file: Option<&FileView>,
) -> TokenStream {
    let mut errors = Vec::new();
    let opts = CheckOptions::parse(attr).unwrap_or_else(|e| {
        errors.push(e);
        CheckOptions::default()
    });
    // Markers are stripped only when the check saw one (or could not look).
    let mut markers = true;
    match syn::parse2::<Item>(item.clone()) {
        Ok(parsed) => match run_check(&parsed, &opts, file) {
            Ok(checker) => {
                markers = checker.saw_markers();
                errors.extend(checker.into_findings());
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
#[cfg(test)]
pub(crate) fn check_item(item: &Item, opts: &CheckOptions) -> Vec<syn::Error> {
    match run_check(item, opts, None) {
        Ok(checker) => checker.into_findings(),
        Err(misuse) => vec![misuse],
    }
}

/// Runs the check over a well-placed item, or says where the attribute goes.
fn run_check<'a>(
    item: &Item,
    opts: &'a CheckOptions,
    file: Option<&FileView>,
) -> Result<Checker<'a>, syn::Error> {
    let mut checker = Checker::new(opts);
    let around = file.and_then(|view| view.locate(item));
    let around = around.as_ref();
    match item {
        Item::Fn(f) if f.sig.asyncness.is_none() && is_tokio_main_output(&f.block) => {
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
        Item::Fn(_) | Item::Impl(_) | Item::Trait(_) => checker.check_annotated(item, around),
        Item::Mod(m) => match &m.content {
            Some(_) => checker.check_annotated(item, around),
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
