//! `race!(a, b, c)`: the first future to succeed wins; the others are
//! cancelled and have ended when it returns. Written like `gather!`, whose
//! parsing, validation and blocking-call check it shares; only the
//! expansion is its own.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::Expr;
use syn::spanned::Spanned as _;

use crate::gather::expand::{checked_args, internal, option_tokens};
use crate::gather::form::Form;
use crate::gather::valid::Gather;
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
    let checkers = if race.opts.local {
        ["local_race_first_arg", "local_race_arg", ""]
    } else {
        ["race_first_arg", "race_arg", ""]
    };
    let checks = checked_args(&p, &state, &vars, args, false, checkers);
    if race.opts.local {
        let cx = internal("__race_cx", Span::call_site());
        let won = internal("__race_won", Span::call_site());
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

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};
    use proc_macro2::TokenStream;
    use quote::quote;

    use super::race;
    use crate::gather::tests::{pretty, soup};

    fn check(input: TokenStream, expected: Expect) {
        expected.assert_eq(&pretty(race(input)));
    }

    #[test]
    fn default_spawns_each_argument_when_the_race_starts_it() {
        check(
            quote!(stagger = d; connect(a), async { Ok(2) }),
            expect![[r#"
                fn expansion() {
                    let _ = {
                        let __race: ::taskgroup::__private::RaceSpawner<_, _> = ::taskgroup::__private::RaceSpawner::new(
                            2usize,
                            ::taskgroup::__private::Some(::taskgroup::__private::duration(d)),
                            ::taskgroup::__private::None,
                        );
                        let __race_0 = ::taskgroup::__private::race_first_arg(&__race, connect(a));
                        let __race_1 = ::taskgroup::__private::race_arg(&__race, async { Ok(2) });
                        async move {
                            let mut __race_0 = __race_0;
                            let mut __race_1 = __race_1;
                            __race
                                .run(move |__race, __race_index| match __race_index {
                                    0usize => __race.start(__race_index, &mut __race_0),
                                    1usize => __race.start(__race_index, &mut __race_1),
                                    _ => {}
                                })
                                .await
                        }
                    };
                }
            "#]],
        );
    }

    #[test]
    fn local_polls_the_started_arguments_in_place() {
        check(
            quote!(local, timeout = t; connect(a), connect(b)),
            expect![[r#"
                fn expansion() {
                    let _ = {
                        let __race: ::taskgroup::__private::RaceScheduler<_, _> = ::taskgroup::__private::RaceScheduler::new(
                            2usize,
                            ::taskgroup::__private::None,
                            ::taskgroup::__private::Some(::taskgroup::__private::duration(t)),
                        );
                        let __race_0 = ::taskgroup::__private::local_race_first_arg(&__race, connect(a));
                        let __race_1 = ::taskgroup::__private::local_race_arg(&__race, connect(b));
                        async move {
                            let mut __race_0 = ::taskgroup::__private::pin!(__race_0);
                            let mut __race_1 = ::taskgroup::__private::pin!(__race_1);
                            __race
                                .run(|__race, __race_cx| {
                                    if let ::taskgroup::__private::Some(__race_won) = __race
                                        .poll(__race_0.as_mut(), __race_cx, 0usize)
                                    {
                                        return ::taskgroup::__private::Some(__race_won);
                                    }
                                    if let ::taskgroup::__private::Some(__race_won) = __race
                                        .poll(__race_1.as_mut(), __race_cx, 1usize)
                                    {
                                        return ::taskgroup::__private::Some(__race_won);
                                    }
                                    ::taskgroup::__private::None
                                })
                                .await
                        }
                    };
                }
            "#]],
        );
    }

    #[test]
    fn malformed_input_is_an_error_not_a_panic() {
        for input in [
            quote!(),
            quote!(local;),
            quote!(a b),
            quote!(stagger; a),
            quote!(stagger = ; a),
            quote!(limit = 2; a),
            quote!(settled; a),
            quote!(stagger = d, a),
            quote!(local, local; a),
        ] {
            let out = race(input.clone()).to_string();
            assert!(out.contains("compile_error"), "{input}: {out}");
        }
    }

    #[test]
    fn messages_name_race_not_gather() {
        for input in [
            quote!(),
            quote!(a b),
            quote!(stagger = d, a),
            quote!(limit = 2; a),
        ] {
            let out = race(input.clone()).to_string();
            assert!(out.contains("race!"), "{input}: {out}");
            assert!(!out.contains("gather!"), "{input}: {out}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        #[test]
        fn never_panics_on_any_input(words in proptest::collection::vec(0usize..64, 0..24)) {
            if let Some(tokens) = soup(&words) {
                let _ = race(tokens);
            }
        }
    }
}
