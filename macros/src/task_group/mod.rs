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
use valid::Checked;

/// Expands `#[task_group(attr)] item`. Never panics.
pub(crate) fn task_group(attr: TokenStream, item: TokenStream) -> TokenStream {
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
            errors.extend(blocking_errors(&f, plan));
            let body = crate::blocking::strip_allow_blocking(block.to_token_stream());
            expand::expand(&f, plan, body)
        }
        _ => expand::placeholder(&f),
    };
    let errors = combine(errors).map(|e| e.to_compile_error());
    quote!(#errors #output)
}

/// The blocking-call check over the body (the one call site).
fn blocking_errors(f: &TaskGroupFn, plan: &valid::Plan) -> Vec<syn::Error> {
    match &f.body {
        Body::Block { block, .. } => crate::blocking::check_fn(&f.sig, block, &plan.opts.check),
        Body::Semi(_) => Vec::new(),
    }
}
