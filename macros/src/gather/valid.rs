//! What `gather!`'s input means: typed options, the arguments, and one
//! spanned error per problem.

use proc_macro2::Span;
use syn::{Expr, spanned::Spanned as _};

use super::ast::GatherInput;
use super::form::Form;
use crate::options::{self, Options};

/// A `gather!` (or a `race!`, written alike) that can be expanded.
pub(crate) struct Gather {
    pub(crate) opts: Options,
    pub(crate) args: Vec<Expr>,
}

/// Validates the parsed input of `form`'s macro. Returns the model (with the
/// valid options) and every problem found; the caller expands only when
/// there is none.
pub(crate) fn validate_for(input: GatherInput, form: &Form) -> (Gather, Vec<syn::Error>) {
    let what = form.accepts.what;
    let mut errors = Vec::new();
    let mut args: Vec<Expr> = input.args.into_iter().collect();
    let (opts, semi) = match input.options {
        Some((raw, semi)) => {
            let (opts, errs) = options::validate(raw, form.accepts);
            errors.extend(errs);
            (opts, Some(semi))
        }
        None => {
            if let Some(err) = options_without_semicolon(&args, form) {
                errors.push(err);
                // Options, not futures: the expansion checked for the
                // arguments' own errors leaves them out.
                args.retain(|arg| option_like(arg, form).is_none());
            }
            (Options::default(), None)
        }
    };
    if args.is_empty() {
        errors.push(match semi {
            Some(semi) => syn::Error::new(
                semi,
                format!(
                    "`{what}` needs at least one future after the `;`, like `{what}({}; {})`",
                    form.flags[0], form.futures
                ),
            ),
            None => syn::Error::new(
                Span::call_site(),
                format!(
                    "`{what}` needs at least one future, like `{what}({})`",
                    form.futures
                ),
            ),
        });
    }
    (Gather { opts, args }, errors)
}

/// An option name as the head of an argument: a flag (`settled`, `local`),
/// or `limit = ..`-like assignments (never a future).
fn option_like(arg: &Expr, form: &Form) -> Option<(String, bool)> {
    match arg {
        Expr::Path(p) if p.attrs.is_empty() && p.qself.is_none() => {
            let ident = p.path.get_ident()?.to_string();
            form.flags
                .contains(&ident.as_str())
                .then_some((ident, false))
        }
        Expr::Assign(a) => {
            let Expr::Path(left) = &*a.left else {
                return None;
            };
            let name = left.path.segments.last()?.ident.to_string();
            let known = [
                "limit",
                "timeout",
                "stagger",
                "crate",
                "extra",
                "allow",
                "name",
                "supervisor",
            ];
            (left.path.segments.len() == 1 && known.contains(&name.as_str()))
                .then_some((name, true))
        }
        _ => None,
    }
}

/// Options written without the `;` that ends them: one error over all of them.
fn options_without_semicolon(args: &[Expr], form: &Form) -> Option<syn::Error> {
    let what = form.accepts.what;
    let leading: Vec<(&Expr, (String, bool))> = args
        .iter()
        .map_while(|arg| option_like(arg, form).map(|o| (arg, o)))
        .collect();
    let (last, _) = leading.last()?;
    let written: Vec<String> = leading
        .iter()
        .map(|(_, (name, has_value))| {
            if *has_value {
                format!("{name} = ..")
            } else {
                name.clone()
            }
        })
        .collect();
    let mut message = format!(
        "`{what}` options go before a `;` that separates them from the futures: write `{what}({}; fut_a, fut_b)`",
        written.join(", ")
    );
    if leading.iter().any(|(_, (_, has_value))| !has_value) {
        message.push_str(&format!(
            "; if this is a future variable, not an option, write `{what}(; name, ..)` or put it later"
        ));
    }
    let first = leading[0].0;
    let mut err = syn::Error::new(first.span(), message);
    if !std::ptr::eq(first, *last) {
        // Cover the whole option list: the span of `first..=last`.
        let tokens: proc_macro2::TokenStream =
            leading.iter().map(|(e, _)| quote::quote!(#e,)).collect();
        err = syn::Error::new_spanned(tokens, err.to_string());
    }
    Some(err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gather::ast::parse;
    use crate::gather::form::GATHER_FORM;
    use quote::quote;

    fn validate(input: GatherInput) -> (Gather, Vec<syn::Error>) {
        validate_for(input, &GATHER_FORM)
    }

    fn errors(tokens: proc_macro2::TokenStream) -> Vec<String> {
        let (_, errors) = validate(parse(tokens).unwrap());
        errors.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn plain_arguments_are_valid() {
        let (g, errs) = validate(parse(quote!(a(), b)).unwrap());
        assert!(errs.is_empty());
        assert_eq!(g.args.len(), 2);
        assert!(!g.opts.local && !g.opts.settled);
    }

    #[test]
    fn options_are_typed() {
        let (g, errs) = validate(parse(quote!(local, settled, limit = 3, timeout = d; a)).unwrap());
        assert!(errs.is_empty(), "{errs:?}");
        assert!(g.opts.local && g.opts.settled);
        assert_eq!(g.opts.limit.unwrap().value, 3);
    }

    #[test]
    fn empty_gather_is_an_error() {
        assert!(errors(quote!())[0].contains("at least one future, like"));
        assert!(errors(quote!(local;))[0].contains("after the `;`"));
    }

    #[test]
    fn options_without_semicolon_are_caught() {
        let errs = errors(quote!(local, timeout = d, a, b));
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(
            errs[0].contains("write `gather!(local, timeout = ..; fut_a, fut_b)`"),
            "{errs:?}"
        );
        assert!(errs[0].contains("if this is a future variable"), "{errs:?}");
        let errs = errors(quote!(limit = 2, a));
        assert!(
            errs[0].contains("gather!(limit = ..; fut_a, fut_b)"),
            "{errs:?}"
        );
        assert!(!errs[0].contains("future variable"), "{errs:?}");
        // An option name later in the list is just a variable.
        assert!(errors(quote!(a, local)).is_empty());
        // `; local` makes it an argument.
        assert!(errors(quote!(; local, b)).is_empty());
    }

    #[test]
    fn every_problem_is_reported() {
        let errs = errors(quote!(limit = 0, bogus, limit = 2;));
        assert_eq!(errs.len(), 4, "{errs:?}");
    }
}
