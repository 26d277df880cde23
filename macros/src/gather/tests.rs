//! Expansion snapshots of `gather!`, one per option, and end-to-end checks of
//! the token-level entry point (never a panic, errors as `compile_error!`).
//! Refresh the snapshots with `UPDATE_EXPECT=1 cargo test -p taskgroup-macros`.

use expect_test::{Expect, expect};
use proc_macro2::TokenStream;
use quote::quote;

use super::gather;

/// The expansion, pretty-printed inside a fn so it reads like source.
pub(crate) fn pretty(tokens: TokenStream) -> String {
    let file: syn::File = syn::parse2(quote!(fn expansion() { let _ = #tokens; }))
        .unwrap_or_else(|e| panic!("expansion is not valid Rust: {e}\n{tokens}"));
    prettyplease::unparse(&file)
}

fn check(input: TokenStream, expected: Expect) {
    expected.assert_eq(&pretty(gather(input)));
}

#[test]
fn default_spawns_each_argument_as_a_task() {
    check(
        quote!(fetch(a), async { Ok(2) }),
        expect![[r#"
            fn expansion() {
                let _ = {
                    let __gather_spawner: ::taskgroup::__private::Spawner<_> = ::taskgroup::__private::Spawner::new(
                        2usize,
                        false,
                        ::taskgroup::__private::None,
                        ::taskgroup::__private::None,
                    );
                    let __gather_0 = ::taskgroup::__private::first_spawned_arg(
                        &__gather_spawner,
                        fetch(a),
                    );
                    let __gather_1 = ::taskgroup::__private::spawned_arg(
                        &__gather_spawner,
                        async { Ok(2) },
                    );
                    async move {
                        let mut __gather_spawner = __gather_spawner;
                        let mut __gather_0 = __gather_0;
                        let mut __gather_1 = __gather_1;
                        let __gather_result = ::taskgroup::__private::poll_fn(|__gather_cx| {
                                __gather_spawner.begin(__gather_cx);
                                if let ::taskgroup::__private::Err(__gather_failure) = __gather_spawner
                                    .poll(&mut __gather_0, __gather_cx, 0u64)
                                {
                                    return ::taskgroup::__private::Ready(
                                        ::taskgroup::__private::Err(__gather_failure),
                                    );
                                }
                                if let ::taskgroup::__private::Err(__gather_failure) = __gather_spawner
                                    .poll(&mut __gather_1, __gather_cx, 1u64)
                                {
                                    return ::taskgroup::__private::Ready(
                                        ::taskgroup::__private::Err(__gather_failure),
                                    );
                                }
                                match __gather_spawner.end(__gather_cx) {
                                    ::taskgroup::__private::Ready(
                                        ::taskgroup::__private::Ok(()),
                                    ) => {}
                                    ::taskgroup::__private::Ready(
                                        ::taskgroup::__private::Err(__gather_failure),
                                    ) => {
                                        return ::taskgroup::__private::Ready(
                                            ::taskgroup::__private::Err(__gather_failure),
                                        );
                                    }
                                    ::taskgroup::__private::Pending => {
                                        return ::taskgroup::__private::Pending;
                                    }
                                }
                                ::taskgroup::__private::Ready(
                                    ::taskgroup::__private::Ok((
                                        __gather_spawner.take(&mut __gather_0),
                                        __gather_spawner.take(&mut __gather_1),
                                    )),
                                )
                            })
                            .await;
                        ::taskgroup::__private::poll_fn(|__gather_cx| {
                                let mut __gather_done = true;
                                __gather_done
                                    &= __gather_spawner
                                        .poll_stop(&mut __gather_0, __gather_cx, 0u64)
                                        .is_ready();
                                __gather_done
                                    &= __gather_spawner
                                        .poll_stop(&mut __gather_1, __gather_cx, 1u64)
                                        .is_ready();
                                __gather_done
                                    &= __gather_spawner.poll_orphans(__gather_cx).is_ready();
                                if __gather_done {
                                    ::taskgroup::__private::Ready(())
                                } else {
                                    ::taskgroup::__private::Pending
                                }
                            })
                            .await;
                        __gather_spawner.finish(__gather_result)
                    }
                };
            }
        "#]],
    );
}

#[test]
fn settled_spawns_and_keeps_every_outcome() {
    check(
        quote!(settled; fetch(a), fetch(b)),
        expect![[r#"
            fn expansion() {
                let _ = {
                    let __gather_spawner: ::taskgroup::__private::Spawner<
                        ::taskgroup::__private::Infallible,
                    > = ::taskgroup::__private::Spawner::new(
                        2usize,
                        true,
                        ::taskgroup::__private::None,
                        ::taskgroup::__private::None,
                    );
                    let __gather_0 = ::taskgroup::__private::settled_arg(fetch(a));
                    let __gather_1 = ::taskgroup::__private::settled_arg(fetch(b));
                    async move {
                        let mut __gather_spawner = __gather_spawner;
                        let mut __gather_0 = __gather_0;
                        let mut __gather_1 = __gather_1;
                        let __gather_result = ::taskgroup::__private::poll_fn(|__gather_cx| {
                                __gather_spawner.begin(__gather_cx);
                                __gather_spawner.poll_settled(&mut __gather_0, __gather_cx, 0u64);
                                __gather_spawner.poll_settled(&mut __gather_1, __gather_cx, 1u64);
                                if __gather_spawner.end_settled(__gather_cx).is_pending() {
                                    return ::taskgroup::__private::Pending;
                                }
                                ::taskgroup::__private::Ready((
                                    __gather_spawner.take_settled(&mut __gather_0),
                                    __gather_spawner.take_settled(&mut __gather_1),
                                ))
                            })
                            .await;
                        ::taskgroup::__private::poll_fn(|__gather_cx| {
                                let mut __gather_done = true;
                                __gather_done
                                    &= __gather_spawner
                                        .poll_stop_settled(&mut __gather_0, __gather_cx)
                                        .is_ready();
                                __gather_done
                                    &= __gather_spawner
                                        .poll_stop_settled(&mut __gather_1, __gather_cx)
                                        .is_ready();
                                __gather_done
                                    &= __gather_spawner.poll_orphans(__gather_cx).is_ready();
                                if __gather_done {
                                    ::taskgroup::__private::Ready(())
                                } else {
                                    ::taskgroup::__private::Pending
                                }
                            })
                            .await;
                        __gather_spawner.finish_settled(__gather_result)
                    }
                };
            }
        "#]],
    );
}

#[test]
fn local_polls_in_place() {
    check(
        quote!(local; fetch(&a), fetch(&b)),
        expect![[r#"
            fn expansion() {
                let _ = {
                    let __gather_local: ::taskgroup::__private::Scheduler<_> = ::taskgroup::__private::Scheduler::new(
                        ::taskgroup::__private::None,
                        ::taskgroup::__private::None,
                    );
                    let __gather_0 = ::taskgroup::__private::local_first_arg(
                        &__gather_local,
                        fetch(&a),
                    );
                    let __gather_1 = ::taskgroup::__private::local_arg(&__gather_local, fetch(&b));
                    ::taskgroup::__private::LocalGather::new(
                        ::taskgroup::__private::Cons::new(
                            __gather_0,
                            ::taskgroup::__private::Cons::new(__gather_1, ()),
                        ),
                        |__gather_pass, __gather_args, __gather_cx| {
                            let (mut __gather_0, __gather_args) = __gather_args.split();
                            let (mut __gather_1, __gather_args) = __gather_args.split();
                            let _ = __gather_args;
                            match __gather_pass
                                .run(|__gather_pass| {
                                    __gather_pass.poll(__gather_0.as_mut(), __gather_cx, 0u64)?;
                                    __gather_pass.poll(__gather_1.as_mut(), __gather_cx, 1u64)?;
                                    ::taskgroup::__private::Ok(())
                                })
                            {
                                ::taskgroup::__private::Pending => ::taskgroup::__private::Pending,
                                ::taskgroup::__private::Ready(::taskgroup::__private::Ok(())) => {
                                    ::taskgroup::__private::Ready(
                                        ::taskgroup::__private::Ok((
                                            __gather_pass.take(__gather_0),
                                            __gather_pass.take(__gather_1),
                                        )),
                                    )
                                }
                                ::taskgroup::__private::Ready(
                                    ::taskgroup::__private::Err(mut __gather_stop),
                                ) => {
                                    __gather_stop.cancel(__gather_0, 0u64);
                                    __gather_stop.cancel(__gather_1, 1u64);
                                    ::taskgroup::__private::Ready(
                                        ::taskgroup::__private::Err(__gather_stop.error()),
                                    )
                                }
                            }
                        },
                    )
                };
            }
        "#]],
    );
}

#[test]
fn local_settled() {
    check(
        quote!(local, settled; fetch(&a)),
        expect![[r#"
            fn expansion() {
                let _ = {
                    let __gather_local: ::taskgroup::__private::Scheduler<
                        ::taskgroup::__private::Infallible,
                    > = ::taskgroup::__private::Scheduler::new(
                        ::taskgroup::__private::None,
                        ::taskgroup::__private::None,
                    );
                    let __gather_0 = ::taskgroup::__private::local_settled_arg(fetch(&a));
                    async move {
                        let mut __gather_local = __gather_local;
                        let mut __gather_0 = ::taskgroup::__private::pin!(__gather_0);
                        ::taskgroup::__private::poll_fn(|__gather_cx| {
                                __gather_local.begin();
                                __gather_local.poll_settled(__gather_0.as_mut(), __gather_cx, 0u64);
                                if __gather_local.end_settled(__gather_cx).is_pending() {
                                    return ::taskgroup::__private::Pending;
                                }
                                ::taskgroup::__private::Ready((
                                    __gather_local.take_settled(__gather_0.as_mut()),
                                ))
                            })
                            .await
                    }
                };
            }
        "#]],
    );
}

#[test]
fn limit_and_timeout() {
    check(
        quote!(limit = 2, timeout = Duration::from_secs(1); fetch(a), fetch(b)),
        expect![[r#"
            fn expansion() {
                let _ = {
                    let __gather_spawner: ::taskgroup::__private::Spawner<_> = ::taskgroup::__private::Spawner::new(
                        2usize,
                        false,
                        ::taskgroup::__private::Some(2usize),
                        ::taskgroup::__private::Some(
                            ::taskgroup::__private::duration(Duration::from_secs(1)),
                        ),
                    );
                    let __gather_0 = ::taskgroup::__private::first_spawned_arg(
                        &__gather_spawner,
                        fetch(a),
                    );
                    let __gather_1 = ::taskgroup::__private::spawned_arg(
                        &__gather_spawner,
                        fetch(b),
                    );
                    async move {
                        let mut __gather_spawner = __gather_spawner;
                        let mut __gather_0 = __gather_0;
                        let mut __gather_1 = __gather_1;
                        let __gather_result = ::taskgroup::__private::poll_fn(|__gather_cx| {
                                __gather_spawner.begin(__gather_cx);
                                if let ::taskgroup::__private::Err(__gather_failure) = __gather_spawner
                                    .poll(&mut __gather_0, __gather_cx, 0u64)
                                {
                                    return ::taskgroup::__private::Ready(
                                        ::taskgroup::__private::Err(__gather_failure),
                                    );
                                }
                                if let ::taskgroup::__private::Err(__gather_failure) = __gather_spawner
                                    .poll(&mut __gather_1, __gather_cx, 1u64)
                                {
                                    return ::taskgroup::__private::Ready(
                                        ::taskgroup::__private::Err(__gather_failure),
                                    );
                                }
                                match __gather_spawner.end(__gather_cx) {
                                    ::taskgroup::__private::Ready(
                                        ::taskgroup::__private::Ok(()),
                                    ) => {}
                                    ::taskgroup::__private::Ready(
                                        ::taskgroup::__private::Err(__gather_failure),
                                    ) => {
                                        return ::taskgroup::__private::Ready(
                                            ::taskgroup::__private::Err(__gather_failure),
                                        );
                                    }
                                    ::taskgroup::__private::Pending => {
                                        return ::taskgroup::__private::Pending;
                                    }
                                }
                                ::taskgroup::__private::Ready(
                                    ::taskgroup::__private::Ok((
                                        __gather_spawner.take(&mut __gather_0),
                                        __gather_spawner.take(&mut __gather_1),
                                    )),
                                )
                            })
                            .await;
                        ::taskgroup::__private::poll_fn(|__gather_cx| {
                                let mut __gather_done = true;
                                __gather_done
                                    &= __gather_spawner
                                        .poll_stop(&mut __gather_0, __gather_cx, 0u64)
                                        .is_ready();
                                __gather_done
                                    &= __gather_spawner
                                        .poll_stop(&mut __gather_1, __gather_cx, 1u64)
                                        .is_ready();
                                __gather_done
                                    &= __gather_spawner.poll_orphans(__gather_cx).is_ready();
                                if __gather_done {
                                    ::taskgroup::__private::Ready(())
                                } else {
                                    ::taskgroup::__private::Pending
                                }
                            })
                            .await;
                        __gather_spawner.finish(__gather_result)
                    }
                };
            }
        "#]],
    );
}

#[test]
fn local_with_limit_and_timeout() {
    check(
        quote!(local, limit = 1, timeout = d; fetch(&a), fetch(&b)),
        expect![[r#"
            fn expansion() {
                let _ = {
                    let __gather_local: ::taskgroup::__private::Scheduler<_> = ::taskgroup::__private::Scheduler::new(
                        ::taskgroup::__private::Some(1usize),
                        ::taskgroup::__private::Some(::taskgroup::__private::duration(d)),
                    );
                    let __gather_0 = ::taskgroup::__private::local_first_arg(
                        &__gather_local,
                        fetch(&a),
                    );
                    let __gather_1 = ::taskgroup::__private::local_arg(&__gather_local, fetch(&b));
                    async move {
                        let mut __gather_local = __gather_local;
                        let mut __gather_0 = ::taskgroup::__private::pin!(__gather_0);
                        let mut __gather_1 = ::taskgroup::__private::pin!(__gather_1);
                        ::taskgroup::__private::poll_fn(|__gather_cx| {
                                __gather_local.begin();
                                if let ::taskgroup::__private::Err(__gather_failure) = __gather_local
                                    .poll(__gather_0.as_mut(), __gather_cx, 0u64)
                                {
                                    return ::taskgroup::__private::Ready(
                                        ::taskgroup::__private::Err(__gather_failure),
                                    );
                                }
                                if let ::taskgroup::__private::Err(__gather_failure) = __gather_local
                                    .poll(__gather_1.as_mut(), __gather_cx, 1u64)
                                {
                                    return ::taskgroup::__private::Ready(
                                        ::taskgroup::__private::Err(__gather_failure),
                                    );
                                }
                                match __gather_local.end(__gather_cx) {
                                    ::taskgroup::__private::Ready(
                                        ::taskgroup::__private::Ok(()),
                                    ) => {}
                                    ::taskgroup::__private::Ready(
                                        ::taskgroup::__private::Err(__gather_failure),
                                    ) => {
                                        return ::taskgroup::__private::Ready(
                                            ::taskgroup::__private::Err(__gather_failure),
                                        );
                                    }
                                    ::taskgroup::__private::Pending => {
                                        return ::taskgroup::__private::Pending;
                                    }
                                }
                                ::taskgroup::__private::Ready(
                                    ::taskgroup::__private::Ok((
                                        __gather_local.take(__gather_0.as_mut()),
                                        __gather_local.take(__gather_1.as_mut()),
                                    )),
                                )
                            })
                            .await
                    }
                };
            }
        "#]],
    );
}

#[test]
fn settled_with_timeout() {
    check(
        quote!(settled, timeout = d; fetch(a)),
        expect![[r#"
            fn expansion() {
                let _ = {
                    let __gather_spawner: ::taskgroup::__private::Spawner<
                        ::taskgroup::__private::Infallible,
                    > = ::taskgroup::__private::Spawner::new(
                        1usize,
                        true,
                        ::taskgroup::__private::None,
                        ::taskgroup::__private::Some(::taskgroup::__private::duration(d)),
                    );
                    let __gather_0 = ::taskgroup::__private::settled_arg(fetch(a));
                    async move {
                        let mut __gather_spawner = __gather_spawner;
                        let mut __gather_0 = __gather_0;
                        let __gather_result = ::taskgroup::__private::poll_fn(|__gather_cx| {
                                __gather_spawner.begin(__gather_cx);
                                __gather_spawner.poll_settled(&mut __gather_0, __gather_cx, 0u64);
                                if __gather_spawner.end_settled(__gather_cx).is_pending() {
                                    return ::taskgroup::__private::Pending;
                                }
                                ::taskgroup::__private::Ready((
                                    __gather_spawner.take_settled(&mut __gather_0),
                                ))
                            })
                            .await;
                        ::taskgroup::__private::poll_fn(|__gather_cx| {
                                let mut __gather_done = true;
                                __gather_done
                                    &= __gather_spawner
                                        .poll_stop_settled(&mut __gather_0, __gather_cx)
                                        .is_ready();
                                __gather_done
                                    &= __gather_spawner.poll_orphans(__gather_cx).is_ready();
                                if __gather_done {
                                    ::taskgroup::__private::Ready(())
                                } else {
                                    ::taskgroup::__private::Pending
                                }
                            })
                            .await;
                        __gather_spawner.finish_settled(__gather_result)
                    }
                };
            }
        "#]],
    );
}

#[test]
fn crate_path_replaces_taskgroup() {
    check(
        quote!(crate = ::my_tg; fetch(a)),
        expect![[r#"
            fn expansion() {
                let _ = {
                    let __gather_spawner: ::my_tg::__private::Spawner<_> = ::my_tg::__private::Spawner::new(
                        1usize,
                        false,
                        ::my_tg::__private::None,
                        ::my_tg::__private::None,
                    );
                    let __gather_0 = ::my_tg::__private::first_spawned_arg(
                        &__gather_spawner,
                        fetch(a),
                    );
                    async move {
                        let mut __gather_spawner = __gather_spawner;
                        let mut __gather_0 = __gather_0;
                        let __gather_result = ::my_tg::__private::poll_fn(|__gather_cx| {
                                __gather_spawner.begin(__gather_cx);
                                if let ::my_tg::__private::Err(__gather_failure) = __gather_spawner
                                    .poll(&mut __gather_0, __gather_cx, 0u64)
                                {
                                    return ::my_tg::__private::Ready(
                                        ::my_tg::__private::Err(__gather_failure),
                                    );
                                }
                                match __gather_spawner.end(__gather_cx) {
                                    ::my_tg::__private::Ready(::my_tg::__private::Ok(())) => {}
                                    ::my_tg::__private::Ready(
                                        ::my_tg::__private::Err(__gather_failure),
                                    ) => {
                                        return ::my_tg::__private::Ready(
                                            ::my_tg::__private::Err(__gather_failure),
                                        );
                                    }
                                    ::my_tg::__private::Pending => return ::my_tg::__private::Pending,
                                }
                                ::my_tg::__private::Ready(
                                    ::my_tg::__private::Ok((__gather_spawner.take(&mut __gather_0),)),
                                )
                            })
                            .await;
                        ::my_tg::__private::poll_fn(|__gather_cx| {
                                let mut __gather_done = true;
                                __gather_done
                                    &= __gather_spawner
                                        .poll_stop(&mut __gather_0, __gather_cx, 0u64)
                                        .is_ready();
                                __gather_done
                                    &= __gather_spawner.poll_orphans(__gather_cx).is_ready();
                                if __gather_done {
                                    ::my_tg::__private::Ready(())
                                } else {
                                    ::my_tg::__private::Pending
                                }
                            })
                            .await;
                        __gather_spawner.finish(__gather_result)
                    }
                };
            }
        "#]],
    );
}

#[test]
fn one_argument_is_a_one_tuple() {
    let out = gather(quote!(fetch(a))).to_string();
    assert!(out.contains("take (& mut __gather_0) ,)"), "{out}");
}

#[test]
fn sixty_four_arguments_expand() {
    let args = (0..64).map(|i| quote!(f(#i)));
    let out = gather(quote!(local; #(#args),*));
    let text = out.to_string();
    assert!(text.contains("__gather_63"), "{text}");
    assert!(!text.contains("compile_error"), "{text}");
    pretty(out);
}

#[test]
fn errors_become_one_compile_error_block() {
    let out = gather(quote!(limit = 0, bogus;)).to_string();
    assert_eq!(out.matches("compile_error").count(), 3, "{out}");
    assert!(out.starts_with('{'), "{out}");
}

#[test]
fn malformed_input_is_an_error_not_a_panic() {
    for input in [
        quote!(),
        quote!(;),
        quote!(a b),
        quote!(limit = ; a),
        quote!(= ; a),
        quote!(local local; a),
        quote!(,),
        quote!(1, 2; 3),
        quote!(crate = 3; a),
    ] {
        let out = gather(input.clone()).to_string();
        assert!(out.contains("compile_error"), "{input}: {out}");
    }
}

#[test]
fn internal_names_are_hygienic() {
    // A user variable `__gather_0` inside an argument stays the user's: the
    // expansion's own `__gather_0` has a mixed-site span.
    let out = gather(quote!(async move { Ok(__gather_0) }, tg));
    let user = out
        .clone()
        .into_iter()
        .flat_map(|tt| match tt {
            proc_macro2::TokenTree::Group(g) => g.stream().into_iter().collect::<Vec<_>>(),
            other => vec![other],
        })
        .count();
    assert!(user > 0);
    pretty(out);
}

/// Token soup drawn from the macros' own vocabulary, as a token stream (or
/// `None` when the delimiters do not balance).
pub(crate) fn soup(words: &[usize]) -> Option<TokenStream> {
    const VOCAB: &[&str] = &[
        "local",
        "settled",
        "limit",
        "timeout",
        "crate",
        "name",
        "supervisor",
        "extra",
        "allow",
        "=",
        ";",
        ",",
        "0",
        "3",
        "x",
        "async",
        "fn",
        "f",
        "(",
        ")",
        "{",
        "}",
        "[",
        "]",
        "->",
        "Result",
        "<",
        ">",
        "ErrorGroup",
        "E",
        "Ok",
        "tg",
        "::",
        "struct",
        "\"s\"",
        "&",
        "self",
        "mut",
        ".",
        "await",
        "?",
        "#",
        "!",
        "impl",
        "pub",
        "where",
        "'a",
        "-",
    ];
    let text: Vec<&str> = words.iter().map(|&i| VOCAB[i % VOCAB.len()]).collect();
    text.join(" ").parse().ok()
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

    #[test]
    fn never_panics_on_any_input(words in proptest::collection::vec(0usize..64, 0..24)) {
        if let Some(tokens) = soup(&words) {
            let _ = gather(tokens);
        }
    }
}
