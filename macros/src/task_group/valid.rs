//! What `#[task_group]` is asked to do: typed options and a function fit to
//! run as a group's body, with one spanned error per problem.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{ToTokens, quote};
use syn::{FnArg, GenericArgument, Pat, PathArguments, ReturnType, Type};
use taskgroup_blocking::util::is_tokio_main_output;

use super::ast::{Body, TaskGroupFn};
use crate::options::{self, Options, TASK_GROUP};

/// A function `#[task_group]` can expand.
pub(crate) struct Plan {
    pub(crate) opts: Options,
    /// The group handle's binding: `tg`, or `name = ..`.
    pub(crate) handle: Ident,
    /// `E` of the declared `Result<T, ErrorGroup<E>>`.
    pub(crate) error_type: Type,
}

/// The outcome of validation.
pub(crate) struct Checked {
    /// `Some` when the fn itself is fit (its options may still have errors,
    /// which leave those options unset).
    pub(crate) plan: Option<Plan>,
    pub(crate) errors: Vec<syn::Error>,
}

/// Validates the options and the function.
pub(crate) fn validate(attr: TokenStream, f: &TaskGroupFn) -> Checked {
    let mut errors = Vec::new();
    let opts = match options::parse(attr) {
        Ok(raw) => {
            let (opts, errs) = options::validate(raw, TASK_GROUP);
            errors.extend(errs);
            opts
        }
        Err(err) => {
            errors.push(err);
            Options::default()
        }
    };
    let handle = opts
        .name
        .clone()
        .unwrap_or_else(|| Ident::new("tg", Span::call_site()));
    let mut fit = true;
    if f.sig.asyncness.is_none() {
        fit = false;
        errors.push(not_async(f));
    }
    let error_type = match group_error_type(&f.sig) {
        Ok(ty) => Some(ty),
        Err(err) => {
            errors.push(err);
            None
        }
    };
    if let Body::Semi(semi) = &f.body {
        fit = false;
        errors.push(syn::Error::new(
            semi.span,
            "`#[task_group]` needs a body to run as the group's body: write `{ .. }` here, \
             or put `#[task_group]` on the method in each `impl`",
        ));
    }
    for arg in &f.sig.inputs {
        if let FnArg::Typed(typed) = arg
            && let Some(ident) = bound_ident(&typed.pat, &handle)
        {
            fit = false;
            errors.push(syn::Error::new(
                    ident.span(),
                    format!(
                        "parameter `{handle}` would be hidden by the task group handle `{handle}` in the body: \
                         rename the parameter, or name the handle, like `#[task_group(name = group)]`"
                    ),
                ));
        }
    }
    let plan = match (fit, error_type) {
        (true, Some(error_type)) => Some(Plan {
            opts,
            handle,
            error_type,
        }),
        _ => None,
    };
    Checked { plan, errors }
}

fn not_async(f: &TaskGroupFn) -> syn::Error {
    let fn_token = &f.sig.fn_token;
    let ident = &f.sig.ident;
    let span_of = quote!(#fn_token #ident);
    let below_tokio = matches!(&f.body, Body::Block { block, .. } if is_tokio_main_output(block));
    let message = if below_tokio {
        "`#[task_group]` must sit above `#[tokio::main]` / `#[tokio::test]`: below it, it sees tokio's \
         generated sync `fn` instead of your `async fn`; write `#[task_group]` first, then `#[tokio::main]`"
            .to_string()
    } else {
        format!(
            "`#[task_group]` runs the body of an `async fn` as a task group's body: write `async fn {ident}`"
        )
    };
    syn::Error::new_spanned(span_of, message)
}

/// The identifier `pat` binds that equals `handle`, if any.
fn bound_ident<'a>(pat: &'a Pat, handle: &Ident) -> Option<&'a Ident> {
    match pat {
        Pat::Ident(p) if p.ident == *handle => Some(&p.ident),
        Pat::Ident(p) => p
            .subpat
            .as_ref()
            .and_then(|(_, sub)| bound_ident(sub, handle)),
        Pat::Tuple(t) => t.elems.iter().find_map(|p| bound_ident(p, handle)),
        Pat::TupleStruct(t) => t.elems.iter().find_map(|p| bound_ident(p, handle)),
        Pat::Struct(s) => s.fields.iter().find_map(|f| bound_ident(&f.pat, handle)),
        Pat::Reference(r) => bound_ident(&r.pat, handle),
        Pat::Type(t) => bound_ident(&t.pat, handle),
        Pat::Paren(p) => bound_ident(&p.pat, handle),
        Pat::Slice(s) => s.elems.iter().find_map(|p| bound_ident(p, handle)),
        _ => None,
    }
}

/// `E` from `Result<T, ErrorGroup<E>>` (any path to `Result` and
/// `ErrorGroup`), or an error saying what to write.
pub(crate) fn group_error_type(sig: &syn::Signature) -> syn::Result<Type> {
    let ty = match &sig.output {
        ReturnType::Default => {
            let (fn_token, ident) = (&sig.fn_token, &sig.ident);
            let mut parens =
                proc_macro2::Group::new(proc_macro2::Delimiter::Parenthesis, TokenStream::new());
            parens.set_span(sig.paren_token.span.join());
            return Err(syn::Error::new_spanned(
                quote!(#fn_token #ident #parens),
                "a `#[task_group]` fn returns its group's outcome: add a return type like \
                 `-> Result<(), taskgroup::ErrorGroup<std::io::Error>>`",
            ));
        }
        ReturnType::Type(_, ty) => &**ty,
    };
    let shown = pretty(ty);
    let expected = |write: String| {
        syn::Error::new_spanned(
            ty,
            format!(
                "a `#[task_group]` fn returns `Result<T, ErrorGroup<E>>` (the group's failures, \
                 each with its task's name), not `{shown}`: write `-> {write}`"
            ),
        )
    };
    let Some((ok, err)) = result_args(ty) else {
        let ok = if shown == "()" {
            "()".to_string()
        } else {
            shown.clone()
        };
        return Err(expected(format!(
            "Result<{ok}, taskgroup::ErrorGroup<MyError>>"
        )));
    };
    match error_group_arg(err) {
        Some(e) => Ok(e.clone()),
        None => Err(expected(format!(
            "Result<{}, taskgroup::ErrorGroup<{}>>",
            pretty(ok),
            pretty(err)
        ))),
    }
}

/// `(T, E)` of `Result<T, E>`.
fn result_args(ty: &Type) -> Option<(&Type, &Type)> {
    let args = last_segment_args(ty, "Result")?;
    match args.as_slice() {
        [ok, err] => Some((ok, err)),
        _ => None,
    }
}

/// `E` of `ErrorGroup<E>`.
fn error_group_arg(ty: &Type) -> Option<&Type> {
    match last_segment_args(ty, "ErrorGroup")?.as_slice() {
        [e] => Some(e),
        _ => None,
    }
}

fn last_segment_args<'a>(ty: &'a Type, name: &str) -> Option<Vec<&'a Type>> {
    let Type::Path(p) = ty else { return None };
    if p.qself.is_some() {
        return None;
    }
    let last = p.path.segments.last()?;
    if last.ident != name {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    Some(
        args.args
            .iter()
            .filter_map(|a| match a {
                GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
    )
}

/// A type as a person writes it (`Result<u8, io::Error>`), for messages.
pub(crate) fn pretty(tokens: &impl ToTokens) -> String {
    let mut s = tokens.to_token_stream().to_string();
    for (from, to) in [
        (" :: ", "::"),
        (":: ", "::"),
        (" ::", "::"),
        (" < ", "<"),
        ("< ", "<"),
        (" <", "<"),
        (" >", ">"),
        (" ,", ","),
        ("& ", "&"),
        ("( )", "()"),
        ("( ", "("),
        (" )", ")"),
    ] {
        s = s.replace(from, to);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::task_group::ast::parse;
    use quote::quote;

    fn check(attr: TokenStream, item: TokenStream) -> (Option<Plan>, Vec<String>) {
        let f = parse(item).unwrap();
        let Checked { plan, errors } = validate(attr, &f);
        (plan, errors.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn accepts_result_of_error_group_by_any_path() {
        for ret in [
            quote!(Result<u8, ErrorGroup<io::Error>>),
            quote!(std::result::Result<(), taskgroup::ErrorGroup<MyErr<'a>>>),
            quote!(Result<Vec<T>, ::taskgroup::ErrorGroup<E>>),
        ] {
            let (plan, errors) = check(quote!(), quote!(async fn f() -> #ret {}));
            assert!(errors.is_empty(), "{ret}: {errors:?}");
            assert_eq!(plan.unwrap().handle, "tg");
        }
    }

    #[test]
    fn return_type_errors_say_what_to_write() {
        let cases = [
            (quote!(), "add a return type like"),
            (
                quote!(-> u32),
                "write `-> Result<u32, taskgroup::ErrorGroup<MyError>>`",
            ),
            (
                quote!(-> Result<u32, io::Error>),
                "write `-> Result<u32, taskgroup::ErrorGroup<io::Error>>`",
            ),
            (
                quote!(-> Result<u32>),
                "write `-> Result<Result<u32>, taskgroup::ErrorGroup<MyError>>`",
            ),
        ];
        for (ret, needle) in cases {
            let (plan, errors) = check(quote!(), quote!(async fn f() #ret {}));
            assert!(plan.is_none());
            assert!(errors[0].contains(needle), "{ret}: {errors:?}");
        }
    }

    #[test]
    fn every_problem_is_reported() {
        let (plan, errors) = check(
            quote!(limit = 0, bogus),
            quote!(
                fn f(tg: u8) -> u8;
            ),
        );
        assert!(plan.is_none());
        assert_eq!(errors.len(), 6, "{errors:#?}");
        assert!(errors[2].contains("write `async fn f`"), "{errors:?}");
        assert!(
            errors[3].contains("`#[task_group]` fn returns"),
            "{errors:?}"
        );
        assert!(errors[4].contains("needs a body"), "{errors:?}");
        assert!(
            errors[5].contains("parameter `tg` would be hidden"),
            "{errors:?}"
        );
    }

    #[test]
    fn option_errors_keep_the_plan() {
        let (plan, errors) = check(
            quote!(limit = 0),
            quote!(
                async fn f() -> Result<(), ErrorGroup<E>> {}
            ),
        );
        assert_eq!(errors.len(), 1);
        assert!(plan.unwrap().opts.limit.is_none());
    }

    #[test]
    fn a_renamed_handle_frees_the_name() {
        let (plan, errors) = check(
            quote!(name = group),
            quote!(
                async fn f(tg: u8) -> Result<(), ErrorGroup<E>> {}
            ),
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(plan.unwrap().handle, "group");
        let (_, errors) = check(
            quote!(name = group),
            quote!(
                async fn f((a, group): (u8, u8)) -> Result<(), ErrorGroup<E>> {}
            ),
        );
        assert!(errors[0].contains("parameter `group`"), "{errors:?}");
    }

    #[test]
    fn below_tokio_main_says_to_move_the_attribute() {
        let (_, errors) = check(
            quote!(),
            quote!(
                fn main() -> Result<(), ErrorGroup<E>> {
                    let body = async {};
                    return tokio::runtime::Builder::new_multi_thread()
                        .build()
                        .unwrap()
                        .block_on(body);
                }
            ),
        );
        assert!(
            errors[0].contains("must sit above `#[tokio::main]`"),
            "{errors:?}"
        );
    }

    #[test]
    fn pretty_prints_types() {
        assert_eq!(
            pretty(&quote!(Result<Vec<u8>, std::io::Error>)),
            "Result<Vec<u8>, std::io::Error>"
        );
        assert_eq!(pretty(&quote!(&'a str)), "&'a str");
        assert_eq!(pretty(&quote!(())), "()");
    }
}
