//! Token and error helpers shared by the checker and the macros that front
//! it, so each concept lives in one place.

use proc_macro2::{Ident, TokenStream, TokenTree};

/// Folds errors into one, for a single `to_compile_error()` that still shows
/// each at its own span (`None` when there are none).
///
/// ```
/// use proc_macro2::Span;
/// use taskgroup_blocking::util::combine;
///
/// let errors = vec![syn::Error::new(Span::call_site(), "a"), syn::Error::new(Span::call_site(), "b")];
/// let all = combine(errors).unwrap();
/// assert_eq!(all.into_iter().count(), 2);
/// assert!(combine(Vec::new()).is_none());
/// ```
pub fn combine(errors: impl IntoIterator<Item = syn::Error>) -> Option<syn::Error> {
    errors.into_iter().reduce(|mut all, e| {
        all.combine(e);
        all
    })
}

/// Whether any identifier in `tokens`, at any depth, satisfies `pred`: a
/// cheap scan that needs no parse.
///
/// ```
/// use taskgroup_blocking::util::mentions;
///
/// let tokens = quote::quote!(fn f() -> Box<impl Fn()> { todo!() });
/// assert!(mentions(&tokens, &mut |i| i == "impl"));
/// assert!(!mentions(&tokens, &mut |i| i == "dyn"));
/// ```
pub fn mentions(tokens: &TokenStream, pred: &mut dyn FnMut(&Ident) -> bool) -> bool {
    tokens.clone().into_iter().any(|tt| match &tt {
        TokenTree::Ident(i) => pred(i),
        TokenTree::Group(g) => mentions(&g.stream(), pred),
        _ => false,
    })
}

/// Whether a sync fn body is what `#[tokio::main]` / `#[tokio::test]` leave
/// behind: a tokio runtime built with `Builder` or `Runtime` and driven by
/// `block_on`. An attribute that needs an `async fn` and finds this body was
/// written below tokio's attribute instead of above it.
///
/// ```
/// use taskgroup_blocking::util::is_tokio_main_output;
///
/// let body: syn::Block = syn::parse_quote!({
///     let body = async {};
///     tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap().block_on(body)
/// });
/// assert!(is_tokio_main_output(&body));
/// assert!(!is_tokio_main_output(&syn::parse_quote!({ futures::executor::block_on(f()) })));
/// ```
pub fn is_tokio_main_output(block: &syn::Block) -> bool {
    let tokens = quote::ToTokens::to_token_stream(block);
    let has = |name: &str| mentions(&tokens, &mut |i| i == name);
    has("block_on") && has("tokio") && (has("Builder") || has("Runtime"))
}
