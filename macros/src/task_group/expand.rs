//! Code generation for `#[task_group]`.
//!
//! The signature and every attribute stay as written; the body becomes the
//! body of a group built by `__private::Builder` (with the options), run to
//! completion before the fn returns:
//!
//! ```text
//! async fn f(args) -> Result<T, ErrorGroup<E>> {
//!     ::taskgroup::__private::Builder::new().limit(4)
//!         .scope(move |tg: ::taskgroup::__private::TaskGroup<E>| async move { body })
//!         .await
//! }
//! ```
//!
//! The closure is not `'static` (only spawned children must be), so the body
//! may use `self` and borrowed parameters.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::spanned::Spanned as _;

use super::ast::{Body, TaskGroupFn};
use super::valid::Plan;

/// The expanded fn. `body` is the user's block as it goes into the output
/// (for `#[allow_blocking]` markers stripped by the caller).
pub(crate) fn expand(f: &TaskGroupFn, plan: &Plan, body: TokenStream) -> TokenStream {
    let TaskGroupFn {
        attrs,
        vis,
        defaultness,
        sig,
        body: parsed,
    } = f;
    let inner_attrs = match parsed {
        Body::Block { inner_attrs, .. } => &inner_attrs[..],
        Body::Semi(_) => &[],
    };
    let rt = plan.opts.runtime_path();
    let p = quote!(#rt::__private);
    let handle = &plan.handle;
    let error_type = annotation(&plan.error_type);
    let timeout_var = Ident::new("__task_group_timeout", Span::mixed_site());
    let timeout_let = plan.opts.timeout.as_ref().map(|t| {
        let call = quote_spanned!(t.span()=> #p::duration(#t));
        quote!(let #timeout_var = #call;)
    });
    let supervisor = plan.opts.supervisor.then(|| quote!(.supervisor()));
    let limit = plan.opts.limit.map(|l| {
        let n = l.value;
        quote!(.limit(#n))
    });
    let timeout = timeout_let.as_ref().map(|_| quote!(.timeout(#timeout_var)));
    // Evaluated before the body, like `timeout`, so they may read `self`.
    let grace_var = Ident::new("__task_group_grace_period", Span::mixed_site());
    let grace_let = plan.opts.grace_period.as_ref().map(|g| {
        let call = quote_spanned!(g.span()=> #p::duration(#g));
        quote!(let #grace_var = #call;)
    });
    let grace = grace_let
        .as_ref()
        .map(|_| quote!(.grace_period(#grace_var)));
    let slow_var = Ident::new("__task_group_slow_poll", Span::mixed_site());
    let slow_let = plan.opts.slow_poll.as_ref().map(|s| {
        let call = quote_spanned!(s.span()=> #p::duration(#s));
        quote!(let #slow_var = #call;)
    });
    let slow = slow_let
        .as_ref()
        .map(|_| quote!(.slow_poll_threshold(#p::Some(#slow_var))));
    quote! {
        #(#attrs)*
        #vis #defaultness #sig {
            #(#inner_attrs)*
            #timeout_let
            #grace_let
            #slow_let
            #p::Builder::new() #supervisor #limit #timeout #grace #slow
                .scope(move |#handle: #p::TaskGroup<#error_type>| async move #body)
                .await
        }
    }
}

/// The group's error type as a closure-parameter annotation: `_` when it
/// holds `impl Trait`, which is not allowed there (inference still fixes it
/// from the return type).
fn annotation(ty: &syn::Type) -> TokenStream {
    let tokens = ty.to_token_stream();
    if mentions_impl(tokens.clone()) {
        quote!(_)
    } else {
        tokens
    }
}

fn mentions_impl(tokens: TokenStream) -> bool {
    tokens.into_iter().any(|tt| match tt {
        proc_macro2::TokenTree::Ident(i) => i == "impl",
        proc_macro2::TokenTree::Group(g) => mentions_impl(g.stream()),
        _ => false,
    })
}

/// For an unfit fn: the signature and attributes unchanged, the body left
/// out so the errors already reported are the only ones (callers still see
/// the fn, so there are no "cannot find function" errors either).
pub(crate) fn placeholder(f: &TaskGroupFn) -> TokenStream {
    let TaskGroupFn {
        attrs,
        vis,
        defaultness,
        sig,
        body,
    } = f;
    match body {
        Body::Semi(semi) => quote!(#(#attrs)* #vis #defaultness #sig #semi),
        Body::Block { .. } => quote! {
            #(#attrs)*
            #vis #defaultness #sig {
                #![allow(unused_variables, unreachable_code, clippy::diverging_sub_expression)]
                ::core::unreachable!("`#[task_group]` reported a compile error for this fn")
            }
        },
    }
}
