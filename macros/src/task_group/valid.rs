//! What `#[task_group]` is asked to do: typed options and a function fit to
//! run as a group's body, with one spanned error per problem.

use proc_macro2::{Ident, Span, TokenStream, TokenTree};
use quote::{ToTokens, quote};
use syn::{FnArg, Pat, ReturnType, Type};
use taskgroup_blocking::util::is_tokio_main_output;

use super::ast::{Body, TaskGroupFn};
use crate::options::{self, Options, TASK_GROUP};

/// A function `#[task_group]` can expand.
pub(crate) struct Plan {
    pub(crate) opts: Options,
    /// The group handle's binding, as the attribute names it (its span the
    /// user's, so rustc's messages about the binding point there).
    pub(crate) handle: Ident,
    /// The declared return type, `Result<T, ErrorGroup<E>>` under any name:
    /// the expansion lets the compiler read `E` from it.
    pub(crate) output: Type,
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
    let (handle, attr) = split_handle(attr, &mut errors);
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
    let mut fit = true;
    if f.sig.asyncness.is_none() {
        fit = false;
        errors.push(not_async(f, &handle));
    }
    let output = match declared_output(&f.sig) {
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
                         rename the parameter, or the handle, like `#[task_group(group)]`"
                    ),
                ));
        }
    }
    let plan = match (fit, output) {
        (true, Some(output)) => Some(Plan {
            opts,
            handle,
            output,
        }),
        _ => None,
    };
    Checked { plan, errors }
}

fn not_async(f: &TaskGroupFn, handle: &Ident) -> syn::Error {
    let fn_token = &f.sig.fn_token;
    let ident = &f.sig.ident;
    let span_of = quote!(#fn_token #ident);
    let below_tokio = matches!(&f.body, Body::Block { block, .. } if is_tokio_main_output(block));
    let message = if below_tokio {
        format!(
            "`#[task_group]` must sit above `#[tokio::main]` / `#[tokio::test]`: below it, it sees tokio's \
             generated sync `fn` instead of your `async fn`; write `#[task_group({handle})]` first, then `#[tokio::main]`"
        )
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

/// The declared return type, or an error when there is none. Whether it is
/// `Result<T, ErrorGroup<E>>` is for the compiler to say (through
/// `__private::GroupResult`): aliases and renamed imports are its business.
fn declared_output(sig: &syn::Signature) -> syn::Result<Type> {
    match &sig.output {
        ReturnType::Type(_, ty) => Ok((**ty).clone()),
        ReturnType::Default => {
            let (fn_token, ident) = (&sig.fn_token, &sig.ident);
            let mut parens =
                proc_macro2::Group::new(proc_macro2::Delimiter::Parenthesis, TokenStream::new());
            parens.set_span(sig.paren_token.span.join());
            Err(syn::Error::new_spanned(
                quote!(#fn_token #ident #parens),
                "a `#[task_group]` fn returns its group's outcome: add a return type like \
                 `-> Result<(), taskgroup::ErrorGroup<std::io::Error>>` and end the body with `Ok(())`",
            ))
        }
    }
}

/// Splits the handle's name off the attribute: `tg` of `#[task_group(tg,
/// limit = 4)]`. Without one, an error saying what to write, and `tg` (at
/// the attribute, which the body can name) so the body is still checked.
fn split_handle(attr: TokenStream, errors: &mut Vec<syn::Error>) -> (Ident, TokenStream) {
    let tokens: Vec<TokenTree> = attr.clone().into_iter().collect();
    let comma =
        |t: Option<&TokenTree>| matches!(t, Some(TokenTree::Punct(p)) if p.as_char() == ',');
    let eq = |t: Option<&TokenTree>| matches!(t, Some(TokenTree::Punct(p)) if p.as_char() == '=');
    if let Some(TokenTree::Ident(first)) = tokens.first()
        && (tokens.len() == 1 || comma(tokens.get(1)))
    {
        let rest: TokenStream = tokens.iter().skip(2).cloned().collect();
        if options::is_option_name(first) {
            errors.push(syn::Error::new(
                first.span(),
                format!(
                    "`{first}` is an option; name the group's handle first: write `#[task_group(tg, {})]`",
                    shown(&attr)
                ),
            ));
            return (Ident::new("tg", Span::call_site()), attr);
        }
        return (first.clone(), rest);
    }
    // `name = group`: the unknown-option error says to write `group` first.
    if let [TokenTree::Ident(key), eq_token, TokenTree::Ident(name), ..] = &tokens[..]
        && key == "name"
        && eq(Some(eq_token))
    {
        return (name.clone(), attr);
    }
    let write = if tokens.is_empty() {
        "#[task_group(tg)]".to_string()
    } else {
        format!("#[task_group(tg, {})]", shown(&attr))
    };
    errors.push(syn::Error::new(
        Span::call_site(),
        format!(
            "name the group's handle, which the body spawns children on: write `{write}` \
             (any name: `tg.spawn(..)` in the body then starts a child)"
        ),
    ));
    (Ident::new("tg", Span::call_site()), attr)
}

/// Tokens as written in the source where the compiler still has it, else
/// as [`pretty`] prints them.
fn shown(tokens: &TokenStream) -> String {
    let mut iter = tokens.clone().into_iter();
    let first = iter.next().map(|t| t.span());
    let last = iter.last().map(|t| t.span()).or(first);
    first
        .and_then(|first| first.join(last?))
        .and_then(|span| span.source_text())
        .unwrap_or_else(|| pretty(tokens))
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
    fn the_return_type_is_left_to_the_compiler() {
        for ret in [
            quote!(Result<u8, ErrorGroup<io::Error>>),
            quote!(MyResult<u8>),
            quote!(u32),
        ] {
            let (plan, errors) = check(quote!(tg), quote!(async fn f() -> #ret {}));
            assert!(errors.is_empty(), "{ret}: {errors:?}");
            let plan = plan.unwrap();
            assert_eq!(plan.handle, "tg");
            assert_eq!(pretty(&plan.output), pretty(&ret));
        }
    }

    #[test]
    fn a_missing_return_type_says_what_to_write() {
        let (plan, errors) = check(
            quote!(tg),
            quote!(
                async fn f() {}
            ),
        );
        assert!(plan.is_none());
        assert_eq!(
            errors,
            [
                "a `#[task_group]` fn returns its group's outcome: add a return type like \
              `-> Result<(), taskgroup::ErrorGroup<std::io::Error>>` and end the body with `Ok(())`"
            ]
        );
    }

    #[test]
    fn the_handle_is_named_first() {
        let item = quote!(
            async fn f() -> R {}
        );
        let (plan, errors) = check(quote!(group, limit = 2), item.clone());
        assert!(errors.is_empty(), "{errors:?}");
        let plan = plan.unwrap();
        assert_eq!(plan.handle, "group");
        assert_eq!(plan.opts.limit.unwrap().value, 2);
        let what_to_write = [
            (quote!(), "write `#[task_group(tg)]`"),
            (quote!(limit = 2), "write `#[task_group(tg, limit = 2)]`"),
            (
                quote!(supervisor),
                "`supervisor` is an option; name the group's handle first: write `#[task_group(tg, supervisor)]`",
            ),
            (
                quote!(name = group),
                "unknown option `name` (the handle's name comes first, without `name =`: `#[task_group(group)]`)",
            ),
        ];
        for (attr, needle) in what_to_write {
            let (plan, errors) = check(attr.clone(), item.clone());
            assert_eq!(errors.len(), 1, "{attr}: {errors:?}");
            assert!(errors[0].contains(needle), "{attr}: {errors:?}");
            // The body is still expanded (and so checked), with a handle.
            assert!(plan.is_some(), "{attr}");
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
        assert!(errors[0].contains("name the group's handle"), "{errors:?}");
        assert!(errors[1].contains("`limit = 0`"), "{errors:?}");
        assert!(errors[2].contains("unknown option `bogus`"), "{errors:?}");
        assert!(errors[3].contains("write `async fn f`"), "{errors:?}");
        assert!(errors[4].contains("needs a body"), "{errors:?}");
        assert!(
            errors[5].contains("parameter `tg` would be hidden"),
            "{errors:?}"
        );
    }

    #[test]
    fn option_errors_keep_the_plan() {
        let (plan, errors) = check(
            quote!(tg, limit = 0),
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
            quote!(group),
            quote!(
                async fn f(tg: u8) -> Result<(), ErrorGroup<E>> {}
            ),
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(plan.unwrap().handle, "group");
        let (_, errors) = check(
            quote!(group),
            quote!(
                async fn f((a, group): (u8, u8)) -> Result<(), ErrorGroup<E>> {}
            ),
        );
        assert!(errors[0].contains("parameter `group`"), "{errors:?}");
    }

    #[test]
    fn below_tokio_main_says_to_move_the_attribute() {
        let (_, errors) = check(
            quote!(tg),
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
