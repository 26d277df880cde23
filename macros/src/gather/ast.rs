//! `gather!`'s input as written: an optional option list before a `;`, then
//! the argument expressions.

use proc_macro2::{Span, TokenStream, TokenTree};
use syn::parse::{Parse, ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Expr, Token};

use super::form::{Form, GATHER_FORM};
use crate::options::{self, RawOptions};

/// `gather!(options; args)` or `gather!(args)`.
pub(crate) struct GatherInput {
    /// The options and the `;` that ends them, when there is a `;`.
    pub(crate) options: Option<(RawOptions, Span)>,
    pub(crate) args: Punctuated<Expr, Token![,]>,
}

/// Parses `gather!`'s tokens. Only malformed syntax is an error here; what the
/// input means is checked by [`super::valid`].
pub(crate) fn parse(tokens: TokenStream) -> syn::Result<GatherInput> {
    parse_for(tokens, &GATHER_FORM)
}

/// Parses the tokens of `form`'s macro, written like `gather!`.
pub(crate) fn parse_for(tokens: TokenStream, form: &Form) -> syn::Result<GatherInput> {
    let (head, semi, tail) = split_at_semicolon(tokens);
    let options = match semi {
        Some(semi) => Some((options::parse(head)?, semi)),
        None => None,
    };
    let args = Punctuated::<Expr, Token![,]>::parse_terminated
        .parse2(tail)
        .map_err(|e| {
            syn::Error::new(
                e.span(),
                format!(
                    "{e}; `{what}` takes futures separated by commas, like `{what}({futures})`",
                    what = form.accepts.what,
                    futures = form.futures,
                ),
            )
        })?;
    Ok(GatherInput { options, args })
}

/// Splits at the first `;` outside any delimiter: `(before, the ;, after)`,
/// or `(empty, None, all)` without one.
fn split_at_semicolon(tokens: TokenStream) -> (TokenStream, Option<Span>, TokenStream) {
    let mut head = Vec::new();
    let mut iter = tokens.into_iter();
    for tt in iter.by_ref() {
        if let TokenTree::Punct(p) = &tt
            && p.as_char() == ';'
        {
            let tail: TokenStream = iter.collect();
            return (head.into_iter().collect(), Some(p.span()), tail);
        }
        head.push(tt);
    }
    (TokenStream::new(), None, head.into_iter().collect())
}

impl Parse for GatherInput {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        parse(input.parse()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn without_options_everything_is_an_argument() {
        let input = parse(quote!(a(), async { Ok(1) }, b.c().d(),)).unwrap();
        assert!(input.options.is_none());
        assert_eq!(input.args.len(), 3);
    }

    #[test]
    fn options_end_at_the_first_top_level_semicolon() {
        let input = parse(quote!(local, timeout = d; async { x; Ok(()) }, b)).unwrap();
        let (opts, _) = input.options.unwrap();
        assert_eq!(opts.options.len(), 2);
        assert_eq!(input.args.len(), 2);
    }

    #[test]
    fn empty_option_list_and_empty_arguments_parse() {
        let input = parse(quote!(; a)).unwrap();
        assert!(input.options.unwrap().0.options.is_empty());
        assert!(parse(quote!()).unwrap().args.is_empty());
        assert!(parse(quote!(settled;)).unwrap().args.is_empty());
    }

    #[test]
    fn malformed_arguments_are_errors() {
        let Err(err) = parse(quote!(a b)) else {
            panic!("`a b` parsed");
        };
        let err = err.to_string();
        assert!(err.contains("separated by commas"), "{err}");
        assert!(parse(quote!(a,, b)).is_err());
    }
}
