//! Expansion snapshots of `#[task_group]`, one per option, and end-to-end
//! checks of the token-level entry point. Refresh the snapshots with
//! `UPDATE_EXPECT=1 cargo test -p taskgroup-macros`.

use expect_test::{Expect, expect};
use proc_macro2::TokenStream;
use quote::quote;

use super::task_group;

fn pretty(tokens: TokenStream) -> String {
    let file: syn::File = syn::parse2(tokens.clone())
        .unwrap_or_else(|e| panic!("expansion is not valid Rust: {e}\n{tokens}"));
    prettyplease::unparse(&file)
}

fn check(attr: TokenStream, item: TokenStream, expected: Expect) {
    expected.assert_eq(&pretty(task_group(attr, item)));
}

fn item() -> TokenStream {
    quote! {
        async fn fetch_all(urls: Vec<String>) -> Result<Vec<usize>, ErrorGroup<io::Error>> {
            let h = tg.spawn(async { Ok(1) })?;
            Ok(vec![h.await?])
        }
    }
}

#[test]
fn the_attribute_names_the_handle() {
    check(
        quote!(tg),
        item(),
        expect![[r#"
            async fn fetch_all(urls: Vec<String>) -> Result<Vec<usize>, ErrorGroup<io::Error>> {
                ::taskgroup::__private::scope_as::<
                    Result<Vec<usize>, ErrorGroup<io::Error>>,
                    _,
                    _,
                >(
                        ::taskgroup::__private::Builder::new()
                            .name(::core::concat!(::core::module_path!(), "::", "fetch_all")),
                        move |tg| async move {
                            let h = tg.spawn(async { Ok(1) })?;
                            Ok(vec![h. await ?])
                        },
                    )
                    .await
            }
        "#]],
    );
}

#[test]
fn any_name_names_the_handle() {
    check(
        quote!(group),
        quote! {
            async fn f() -> Result<(), ErrorGroup<E>> {
                group.spawn(async { Ok(()) })?;
                Ok(())
            }
        },
        expect![[r#"
            async fn f() -> Result<(), ErrorGroup<E>> {
                ::taskgroup::__private::scope_as::<
                    Result<(), ErrorGroup<E>>,
                    _,
                    _,
                >(
                        ::taskgroup::__private::Builder::new()
                            .name(::core::concat!(::core::module_path!(), "::", "f")),
                        move |group| async move {
                            group.spawn(async { Ok(()) })?;
                            Ok(())
                        },
                    )
                    .await
            }
        "#]],
    );
}

#[test]
fn supervisor_limit_timeout_and_crate() {
    check(
        quote!(
            tg,
            supervisor,
            limit = 8,
            timeout = Duration::from_secs(5),
            crate = ::my_tg
        ),
        item(),
        expect![[r#"
            async fn fetch_all(urls: Vec<String>) -> Result<Vec<usize>, ErrorGroup<io::Error>> {
                let __task_group_timeout = ::my_tg::__private::duration(Duration::from_secs(5));
                ::my_tg::__private::scope_as::<
                    Result<Vec<usize>, ErrorGroup<io::Error>>,
                    _,
                    _,
                >(
                        ::my_tg::__private::Builder::new()
                            .name(::core::concat!(::core::module_path!(), "::", "fetch_all"))
                            .supervisor()
                            .limit(8usize)
                            .timeout(__task_group_timeout),
                        move |tg| async move {
                            let h = tg.spawn(async { Ok(1) })?;
                            Ok(vec![h. await ?])
                        },
                    )
                    .await
            }
        "#]],
    );
}

#[test]
fn methods_generics_where_clauses_and_attributes_are_kept() {
    check(
        quote!(tg),
        quote! {
            #[inline]
            #[doc = "docs"]
            pub async fn run<T: Send + 'static>(&mut self, items: Vec<T>) -> Result<usize, taskgroup::ErrorGroup<Self::Error>>
            where
                T: Clone,
            {
                #![allow(unused_mut)]
                self.count += items.len();
                Ok(self.count)
            }
        },
        expect![[r##"
            #[inline]
            ///docs
            pub async fn run<T: Send + 'static>(
                &mut self,
                items: Vec<T>,
            ) -> Result<usize, taskgroup::ErrorGroup<Self::Error>>
            where
                T: Clone,
            {
                #![allow(unused_mut)]
                ::taskgroup::__private::scope_as::<
                    Result<usize, taskgroup::ErrorGroup<Self::Error>>,
                    _,
                    _,
                >(
                        ::taskgroup::__private::Builder::new()
                            .name(::core::concat!(::core::module_path!(), "::", "run")),
                        move |tg| async move {
                            self.count += items.len();
                            Ok(self.count)
                        },
                    )
                    .await
            }
        "##]],
    );
}

#[test]
fn errors_come_with_the_signature_and_a_placeholder_body() {
    check(
        quote!(tg, limit = 0),
        quote! {
            fn not_async() -> u8 { tg.spawn(x) }
        },
        expect![[r#"
            ::core::compile_error! {
                "`limit = 0` would never run anything: the limit is how many children run at once, write `limit = 1` or more"
            }
            ::core::compile_error! {
                "`#[task_group]` runs the body of an `async fn` as a task group's body: write `async fn not_async`"
            }
            fn not_async() -> u8 {
                #![allow(unused_variables, unreachable_code, clippy::diverging_sub_expression)]
                ::core::unreachable!("`#[task_group]` reported a compile error for this fn")
            }
        "#]],
    );
}

#[test]
fn a_struct_is_kept_unchanged_with_the_error() {
    let out = task_group(
        quote!(tg),
        quote!(
            struct S;
        ),
    )
    .to_string();
    assert!(out.contains("compile_error"), "{out}");
    assert!(out.ends_with("struct S ;"), "{out}");
}

#[test]
fn option_errors_keep_the_expansion() {
    let out = task_group(quote!(tg, limit = x), item()).to_string();
    assert!(out.contains("compile_error"), "{out}");
    assert!(out.contains("Builder :: new ()"), "{out}");
}

#[test]
fn malformed_input_is_an_error_not_a_panic() {
    for (attr, item) in [
        (quote!(), quote!()),
        (quote!(limit =), item()),
        (quote!(= 1), item()),
        (quote!(), quote!(async fn)),
        (quote!(), quote!(1 + 1)),
        (quote!(name = a::b), item()),
        (quote!(tg, tg), item()),
    ] {
        let out = task_group(attr.clone(), item.clone()).to_string();
        assert!(out.contains("compile_error"), "{attr} / {item}: {out}");
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

    #[test]
    fn never_panics_on_any_input(
        attr in proptest::collection::vec(0usize..64, 0..8),
        item in proptest::collection::vec(0usize..64, 0..24),
    ) {
        use crate::gather::tests::soup;
        if let (Some(attr), Some(item)) = (soup(&attr), soup(&item)) {
            let _ = task_group(attr.clone(), item.clone());
            // A well-formed fn after arbitrary options, too.
            let _ = task_group(attr, quote!(async fn f() -> Result<(), ErrorGroup<E>> { #item }));
        }
    }
}

#[test]
fn an_impl_trait_return_type_is_left_to_inference() {
    let out = task_group(
        quote!(tg),
        quote!(
            async fn f() -> Result<(), ErrorGroup<impl std::error::Error>> {
                Ok(())
            }
        ),
    )
    .to_string();
    assert!(out.contains(". scope (move | tg | async move"), "{out}");
    assert!(!out.contains("scope_as"), "{out}");
}

#[test]
fn blocking_check_sees_the_file_around_the_fn() {
    let file: syn::File = syn::parse_quote! {
        use std::thread::sleep as nap;
        struct Poller;
        impl Poller {
            #[task_group(tg)]
            async fn poll(&self) -> Result<(), ErrorGroup<E>> { nap(d); Ok(()) }
        }
    };
    let item = quote!(
        async fn poll(&self) -> Result<(), ErrorGroup<E>> {
            nap(d);
            Ok(())
        }
    );
    let view = taskgroup_blocking::FileView::of(&file);
    let with_file = super::task_group_in(quote!(tg), item.clone(), Some(&view)).to_string();
    assert!(
        with_file.contains("`std::thread::sleep` blocks the executor thread"),
        "{with_file}"
    );
    let alone = task_group(quote!(tg), item).to_string();
    assert!(!alone.contains("compile_error"), "{alone}");
}
