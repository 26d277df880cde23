//! Tests of the attribute front end: placement errors, the expansion (item
//! kept, markers stripped, option errors spanned); the fuzz test and the
//! benchmark live in the sibling modules. The matching rules and the corpus
//! metric are tested in `taskgroup-blocking`.

use quote::quote;

use super::{CheckOptions, check_item, expand_deny_blocking};

mod bench;
mod fuzz;

/// Messages of the findings for `src`, an item as `#[deny_blocking]` sees it.
fn findings(src: &str) -> Vec<String> {
    let item: syn::Item = syn::parse_str(src).expect("test source parses");
    check_item(&item, &CheckOptions::default())
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn misuse_on_sync_fn_says_where_it_goes() {
    let found = findings("fn f() { std::thread::sleep(d); }");
    assert_eq!(found.len(), 1);
    assert!(
        found[0].contains("goes on an `async fn`, an `impl` block or an inline `mod`"),
        "{found:?}"
    );
    let found = findings("struct S;");
    assert!(found[0].contains("goes on"), "{found:?}");
    let found = findings("mod m;");
    assert!(found[0].contains("inline"), "{found:?}");
}

#[test]
fn below_tokio_main_says_to_move_it() {
    let found = findings(
        "fn main() { let body = async { std::thread::sleep(d) }; \
         return tokio::runtime::Builder::new_multi_thread().enable_all().build().expect(\"rt\").block_on(body); }",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("must sit above `#[tokio::main]`"),
        "{found:?}"
    );
}

#[test]
fn expansion_keeps_item_and_strips_markers() {
    let out = expand_deny_blocking(
        quote!(),
        quote!(
            async fn f() {
                #[allow_blocking]
                std::thread::sleep(d);
                std::fs::read(p);
            }
        ),
        None,
    )
    .to_string();
    assert!(out.starts_with(":: core :: compile_error !"), "{out}");
    assert!(out.contains("async fn f"), "{out}");
    assert!(!out.contains("allow_blocking"), "{out}");
    let clean = expand_deny_blocking(
        quote!(),
        quote!(
            async fn f() {}
        ),
        None,
    )
    .to_string();
    assert!(!clean.contains("compile_error"), "{clean}");
}

#[test]
fn markers_inside_macro_arguments_are_stripped() {
    let out = expand_deny_blocking(
        quote!(),
        quote!(
            async fn f() {
                tokio::join!(
                    a(),
                    #[allow_blocking]
                    async {
                        1
                    }
                );
            }
        ),
        None,
    )
    .to_string();
    assert!(!out.contains("allow_blocking"), "{out}");
    let untouched = quote!(
        async fn f() {
            tokio::join!(a(), b());
        }
    );
    assert_eq!(
        expand_deny_blocking(quote!(), untouched.clone(), None).to_string(),
        untouched.to_string()
    );
}

#[test]
fn bad_options_are_spanned_errors_with_the_item_kept() {
    let out = expand_deny_blocking(
        quote!(extras = [x]),
        quote!(
            async fn f() {}
        ),
        None,
    )
    .to_string();
    assert!(out.contains("unknown option `extras`"), "{out}");
    assert!(out.contains("async fn f"), "{out}");
}
