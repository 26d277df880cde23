//! `#[task_group]`'s item as written: a function with attributes, a
//! signature and (usually) a body.

use proc_macro2::TokenStream;
use syn::parse::{Parse, ParseStream, Parser};
use syn::{Attribute, Block, Signature, Token, Visibility, braced};

/// A free fn, an inherent or trait-impl method, or a trait method.
#[derive(Clone)]
pub(crate) struct TaskGroupFn {
    /// Outer attributes, in order.
    pub(crate) attrs: Vec<Attribute>,
    pub(crate) vis: Visibility,
    /// `default` in a specializing impl.
    pub(crate) defaultness: Option<Token![default]>,
    pub(crate) sig: Signature,
    pub(crate) body: Body,
}

/// What follows the signature.
#[derive(Clone)]
pub(crate) enum Body {
    /// `{ #![inner] stmts }`.
    Block {
        inner_attrs: Vec<Attribute>,
        block: Block,
    },
    /// `;`: a trait method without a default body.
    Semi(Token![;]),
}

impl Parse for TaskGroupFn {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis: Visibility = input.parse()?;
        let defaultness: Option<Token![default]> = input.parse()?;
        let sig: Signature = input.parse()?;
        let body = if input.peek(Token![;]) {
            Body::Semi(input.parse()?)
        } else {
            let content;
            let brace_token = braced!(content in input);
            let inner_attrs = content.call(Attribute::parse_inner)?;
            let stmts = content.call(Block::parse_within)?;
            Body::Block {
                inner_attrs,
                block: Block { brace_token, stmts },
            }
        };
        Ok(TaskGroupFn {
            attrs,
            vis,
            defaultness,
            sig,
            body,
        })
    }
}

/// Parses the annotated item, or says what it is instead of a function.
pub(crate) fn parse(item: TokenStream) -> syn::Result<TaskGroupFn> {
    match TaskGroupFn::parse.parse2(item.clone()) {
        Ok(f) => Ok(f),
        Err(err) => Err(match syn::parse2::<syn::Item>(item) {
            Ok(other) => not_a_fn(&other),
            Err(_) => err,
        }),
    }
}

/// The error for an item that is not a function, at its keyword and name.
fn not_a_fn(item: &syn::Item) -> syn::Error {
    use quote::quote;
    use syn::Item;
    let (what, head): (&str, TokenStream) = match item {
        Item::Struct(s) => ("a struct", {
            let (k, i) = (&s.struct_token, &s.ident);
            quote!(#k #i)
        }),
        Item::Enum(e) => ("an enum", {
            let (k, i) = (&e.enum_token, &e.ident);
            quote!(#k #i)
        }),
        Item::Union(u) => ("a union", {
            let (k, i) = (&u.union_token, &u.ident);
            quote!(#k #i)
        }),
        Item::Impl(i) => ("an impl block", {
            let (k, t) = (&i.impl_token, &i.self_ty);
            quote!(#k #t)
        }),
        Item::Trait(t) => ("a trait", {
            let (k, i) = (&t.trait_token, &t.ident);
            quote!(#k #i)
        }),
        Item::Mod(m) => ("a module", {
            let (k, i) = (&m.mod_token, &m.ident);
            quote!(#k #i)
        }),
        Item::Const(c) => ("a const", {
            let (k, i) = (&c.const_token, &c.ident);
            quote!(#k #i)
        }),
        Item::Static(s) => ("a static", {
            let (k, i) = (&s.static_token, &s.ident);
            quote!(#k #i)
        }),
        Item::Type(t) => ("a type alias", {
            let (k, i) = (&t.type_token, &t.ident);
            quote!(#k #i)
        }),
        Item::Use(u) => ("a `use` item", quote!(#u)),
        other => ("this item", quote!(#other)),
    };
    let extra = match item {
        Item::Impl(_) | Item::Trait(_) => "; put it on each `async fn` inside that runs a group",
        _ => "",
    };
    syn::Error::new_spanned(
        head,
        format!(
            "`#[task_group]` goes on an `async fn` that returns `Result<T, ErrorGroup<E>>`, not on {what}{extra}"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn parses_free_fns_methods_and_trait_methods() {
        let f = parse(quote! {
            #[inline] #[doc = "x"] pub(crate) async fn f<T: Send>(&self, x: T) -> R where T: Clone {
                #![allow(unused)]
                let y = 1;
                y
            }
        })
        .unwrap();
        assert_eq!(f.attrs.len(), 2);
        assert_eq!(f.sig.ident, "f");
        match f.body {
            Body::Block { inner_attrs, block } => {
                assert_eq!(inner_attrs.len(), 1);
                assert_eq!(block.stmts.len(), 2);
            }
            Body::Semi(_) => panic!("has a body"),
        }
        let t = parse(quote!(
            async fn m(&mut self) -> R;
        ))
        .unwrap();
        assert!(matches!(t.body, Body::Semi(_)));
    }

    #[test]
    fn names_what_the_item_is_instead() {
        for (item, what) in [
            (
                quote!(
                    struct S;
                ),
                "not on a struct",
            ),
            (
                quote!(
                    enum E {
                        A,
                    }
                ),
                "not on an enum",
            ),
            (
                quote!(impl S { async fn f() {} }),
                "not on an impl block; put it on each",
            ),
            (
                quote!(
                    mod m {}
                ),
                "not on a module",
            ),
            (
                quote!(
                    static X: u8 = 1;
                ),
                "not on a static",
            ),
        ] {
            let Err(err) = parse(item.clone()) else {
                panic!("{item} parsed");
            };
            let err = err.to_string();
            assert!(err.contains(what), "{item}: {err}");
        }
    }

    #[test]
    fn unparsable_input_is_an_error_not_a_panic() {
        assert!(parse(quote!(async fn)).is_err());
        assert!(parse(quote!()).is_err());
        assert!(parse(quote!(1 + 1)).is_err());
    }
}
