//! `#[task_group]`: an `async fn` whose body is a task group's body.
//!
//! [`ast`] parses the item, [`valid`] checks the options and the function,
//! [`expand`] generates the code. The blocking-call check runs on the body
//! (see [`blocking_errors`]). Errors come out together with the item (its
//! signature kept, tokio-macros style), so one mistake is one error.

pub(crate) mod ast;
pub(crate) mod expand;
pub(crate) mod valid;

#[cfg(test)]
mod tests;

use proc_macro2::TokenStream;
use quote::{ToTokens as _, quote};

use ast::{Body, TaskGroupFn};
use taskgroup_blocking::util::combine;
use taskgroup_blocking::{Checker, FileView};
use valid::Checked;

/// Expands `#[task_group(attr)] item` seeing only the item. Never panics.
#[cfg(test)]
pub(crate) fn task_group(attr: TokenStream, item: TokenStream) -> TokenStream {
    task_group_in(attr, item, None)
}

/// Expands `#[task_group(attr)] item`; `file` is the invoking file, where
/// known, so the blocking check sees the names around the fn. Never panics.
pub(crate) fn task_group_in(
    attr: TokenStream,
    item: TokenStream,
    file: Option<&FileView>,
) -> TokenStream {
    let f = match ast::parse(item.clone()) {
        Ok(f) => f,
        Err(err) => {
            let err = err.to_compile_error();
            let item = crate::blocking::strip_allow_blocking(item);
            return quote!(#err #item);
        }
    };
    let Checked { plan, mut errors } = valid::validate(attr, &f);
    let output = match (&plan, &f.body) {
        (Some(plan), Body::Block { block, .. }) => {
            errors.extend(blocking_errors(&f, plan, file));
            let body = crate::blocking::strip_allow_blocking(block.to_token_stream());
            expand::expand(&f, plan, body)
        }
        _ => expand::placeholder(&f),
    };
    let errors = combine(errors).map(|e| e.to_compile_error());
    quote!(#errors #output)
}

/// The blocking-call check over the body (the one call site), with the fn's
/// file around it when the file holds it.
fn blocking_errors(
    f: &TaskGroupFn,
    plan: &valid::Plan,
    file: Option<&FileView>,
) -> Vec<syn::Error> {
    let Body::Block { block, .. } = &f.body else {
        return Vec::new();
    };
    let around = file.and_then(|view| view.locate_fn(&f.sig, block));
    let mut checker = Checker::new(&plan.opts.check);
    checker.check_body(&f.sig, block, around.as_ref());
    checker.into_findings()
}
