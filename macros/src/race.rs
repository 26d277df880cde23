//! `race!(a, b, c)`: the first future to succeed wins; the others are
//! cancelled and have ended when it returns. Written like `gather!`, whose
//! parsing, validation and blocking-call check it shares; only the
//! expansion is its own.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::Expr;
use syn::spanned::Spanned as _;

use crate::gather::expand::{checked_args, internal, option_tokens};
use crate::gather::valid::{Form, Gather};
use crate::options::RACE;

const RACE_FORM: Form = Form {
    accepts: RACE,
    futures: "connect(a), connect(b)",
    flags: &["local"],
};

/// Expands `race!(..)`: the future, or the errors. Never panics.
pub(crate) fn race(input: TokenStream) -> TokenStream {
    crate::gather::expand_form(input, &RACE_FORM, expand)
}

/// Every argument is evaluated where the macro is written, in order, and
/// checked by a runtime function at its own tokens (the first fixes the
/// value and error types); the returned future runs the race, whose loop is
/// the runtime's. Spawned, an argument is moved into its task when the race
/// asks for attempt `i`; with `local`, all are pinned in place and polled
/// once started.
fn expand(race: &Gather, args: &[TokenStream]) -> TokenStream {
    let rt = race.opts.runtime_path();
    let p = quote!(#rt::__private);
    let vars: Vec<Ident> = race
        .args
        .iter()
        .map(Expr::span)
        .enumerate()
        .map(|(i, span)| internal(&format!("__race_{i}"), span))
        .collect();
    let duration = |value: &Option<Expr>| {
        option_tokens(
            &p,
            value.as_ref().map(|v| {
                let span = v.span();
                quote_spanned!(span=> #p::duration(#v))
            }),
        )
    };
    let (timeout, stagger) = (duration(&race.opts.timeout), duration(&race.opts.stagger));
    let arity = vars.len();
    let indexes = 0..arity;
    let state = internal("__race", Span::call_site());
    if race.opts.local {
        let cx = internal("__race_cx", Span::call_site());
        let won = internal("__race_won", Span::call_site());
        let checks = checked_args(
            &p,
            &state,
            &vars,
            args,
            false,
            ["local_race_first_arg", "local_race_arg", ""],
        );
        return quote! {
            {
                let #state: #p::RaceScheduler<_, _> = #p::RaceScheduler::new(#arity, #stagger, #timeout);
                #(#checks)*
                async move {
                    #( let mut #vars = #p::pin!(#vars); )*
                    #state.run(|#state, #cx| {
                        #(
                            if let #p::Some(#won) = #state.poll(#vars.as_mut(), #cx, #indexes) {
                                return #p::Some(#won);
                            }
                        )*
                        #p::None
                    })
                    .await
                }
            }
        };
    }
    let index = internal("__race_index", Span::call_site());
    let checks = checked_args(
        &p,
        &state,
        &vars,
        args,
        false,
        ["race_first_arg", "race_arg", ""],
    );
    quote! {
        {
            let #state: #p::RaceSpawner<_, _> = #p::RaceSpawner::new(#arity, #stagger, #timeout);
            #(#checks)*
            async move {
                #( let mut #vars = #vars; )*
                #state.run(move |#state, #index| match #index {
                    #( #indexes => #state.start(#index, &mut #vars), )*
                    _ => {}
                })
                .await
            }
        }
    }
}
