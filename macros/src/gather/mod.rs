//! `gather!(a, b, c)`: run futures concurrently as children of one group and
//! collect their results in input order.
//!
//! [`ast`] parses the input into a typed model, [`valid`] checks it (every
//! problem a spanned error), [`expand`] generates the code. The blocking-call
//! check runs on every argument (see [`blocking_errors`]).

pub(crate) mod ast;
pub(crate) mod expand;
pub(crate) mod form;
pub(crate) mod valid;

#[cfg(test)]
pub(crate) mod tests;

use proc_macro2::TokenStream;
use quote::{ToTokens as _, quote};

use taskgroup_blocking::util::combine;
use valid::Gather;

/// Expands `gather!(..)`: the future, or the errors. Never panics.
pub(crate) fn gather(input: TokenStream) -> TokenStream {
    expand_form(input, &form::GATHER_FORM, expand::expand)
}

/// Expands a macro written like `gather!` (`form`) with `expand`, given the
/// validated input and each argument's tokens: parsing, validation and the
/// blocking-call check are `gather!`'s. Never panics.
pub(crate) fn expand_form(
    input: TokenStream,
    form: &form::Form,
    expand: fn(&Gather, &[TokenStream]) -> TokenStream,
) -> TokenStream {
    let parsed = match ast::parse_for(input, form) {
        Ok(parsed) => parsed,
        Err(err) => return error_expr(err),
    };
    let (gather, errors) = valid::validate_for(parsed, form);
    let args: Vec<TokenStream> = gather
        .args
        .iter()
        .map(|arg| crate::blocking::strip_allow_blocking(arg.to_token_stream()))
        .collect();
    if let Some(err) = combine(errors) {
        if args.is_empty() {
            return error_expr(err);
        }
        // The arguments still reach the compiler, in an expansion without
        // the faulty options that is built and dropped, never run: a typo in
        // an option does not hide the errors inside the arguments.
        let expansion = expand(&gather, &args);
        let errors = err.to_compile_error();
        return quote!({
            let _ = #expansion;
            #errors
        });
    }
    let blocking = combine(blocking_errors(&gather)).map(|e| e.to_compile_error());
    let expansion = expand(&gather, &args);
    match blocking {
        // Findings do not change the expansion: one mistake, one error.
        Some(errors) => quote!({ #errors #expansion }),
        None => expansion,
    }
}

/// The blocking-call check over every argument (the one call site).
fn blocking_errors(gather: &Gather) -> Vec<syn::Error> {
    gather
        .args
        .iter()
        .flat_map(|arg| crate::blocking::check_expr(arg, &gather.opts.check))
        .collect()
}

/// The errors as an expression, so the code around the macro sees no
/// second error (a block, since there may be several).
fn error_expr(err: syn::Error) -> TokenStream {
    let errors = err.to_compile_error();
    quote!({ #errors })
}
