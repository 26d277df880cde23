//! Code generation for `#[task_group]`.
//!
//! The signature and every attribute stay as written; the body becomes the
//! body of a group built by `__private::Builder` (with the options), run to
//! completion before the fn returns:
//!
//! ```text
//! async fn f(args) -> R {
//!     ::taskgroup::__private::scope_as::<R, _, _>(
//!         ::taskgroup::__private::Builder::new()
//!             .name(concat!(module_path!(), "::", "f")) // for the task tree
//!             .limit(4),
//!         move |tg| async move { body },
//!     )
//!     .await
//! }
//! ```
//!
//! `tg` is the ident the attribute names, with its span; `E` is read from
//! the return type `R` by the compiler, so aliases and renamed imports of
//! `Result` and `ErrorGroup` work, and any other type is a type error there.
//!
//! The closure is not `'static` (only spawned children must be), so the body
//! may use `self` and borrowed parameters.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::spanned::Spanned as _;
use taskgroup_blocking::util::mentions;

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
    let supervisor = plan.opts.supervisor.then(|| quote!(.supervisor()));
    let limit = plan.opts.limit.map(|l| {
        let n = l.value;
        quote!(.limit(#n))
    });
    // Duration options are evaluated before the body, so they may read `self`.
    let (timeout_let, timeout) =
        duration_option(&p, "timeout", &plan.opts.timeout, |v| quote!(.timeout(#v)));
    let (grace_let, grace) = duration_option(
        &p,
        "grace_period",
        &plan.opts.grace_period,
        |v| quote!(.grace_period(#v)),
    );
    let (slow_let, slow) = duration_option(
        &p,
        "slow_poll",
        &plan.opts.slow_poll,
        |v| quote!(.slow_poll(#p::Some(#v))),
    );
    // The group's name in the task tree: the fn's path.
    let fn_name = sig.ident.to_string();
    let name = quote!(.name(::core::concat!(::core::module_path!(), "::", #fn_name)));
    let builder = quote!(#p::Builder::new() #name #supervisor #limit #timeout #grace #slow);
    // At the handle's name, not the attribute: with the attribute's span
    // rustc calls the binding "value" ("borrow of moved value"), with this
    // one it names it as for a closure the user wrote ("..: `tg`").
    let body = quote_spanned!(handle.span()=> move |#handle| async move #body);
    let output = plan.output.to_token_stream();
    let outcome = if mentions(&output, &mut |i| i == "impl") {
        // `impl Trait` cannot name a type argument: inference fixes `E`.
        quote!(#builder.scope(#body).await)
    } else {
        // At the return type: a type that is not `Result<T, ErrorGroup<E>>`
        // is one error there.
        let call =
            quote_spanned!(plan.output.span()=> #p::scope_as::<#output, _, _>(#builder, #body));
        quote!(#call.await)
    };
    quote! {
        #(#attrs)*
        #vis #defaultness #sig {
            #(#inner_attrs)*
            #timeout_let
            #grace_let
            #slow_let
            #outcome
        }
    }
}

/// A `Duration` option: a hygienic local holding its value, type-checked at
/// the user's expression, and the builder call that uses it.
fn duration_option(
    p: &TokenStream,
    name: &str,
    value: &Option<syn::Expr>,
    call: impl FnOnce(&Ident) -> TokenStream,
) -> (Option<TokenStream>, Option<TokenStream>) {
    let Some(value) = value else {
        return (None, None);
    };
    let var = Ident::new(&format!("__task_group_{name}"), Span::mixed_site());
    let checked = quote_spanned!(value.span()=> #p::duration(#value));
    (Some(quote!(let #var = #checked;)), Some(call(&var)))
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
