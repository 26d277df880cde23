//! Where an annotated item stands in its source file.
//!
//! An attribute macro receives only its item's tokens, but the `use` items,
//! structs and helper fns that give its names a meaning usually sit around
//! it. A front end that can read the file parses it, and [`Surroundings`]
//! finds the item in it; the check then resolves names with the file-level
//! and enclosing inline-module items in view, as the compiler does.

use quote::ToTokens;
use syn::{File, Item};

/// The items of the file and of each inline module around a checked item,
/// outermost first.
///
/// ```
/// use taskgroup_blocking::Surroundings;
///
/// let file: syn::File = syn::parse_quote! {
///     use std::fs;
///     mod store { use tokio::fs; async fn load() {} }
/// };
/// let syn::Item::Mod(store) = &file.items[1] else { unreachable!() };
/// let load = &store.content.as_ref().unwrap().1[1];
/// let around = Surroundings::locate(&file, load).unwrap();
/// assert_eq!(around.modules().count(), 2);
/// ```
pub struct Surroundings<'f> {
    modules: Vec<&'f [Item]>,
}

impl<'f> Surroundings<'f> {
    /// Finds `item` in `file`, at its top level or inside inline modules:
    /// the one item of the same kind and name whose tokens, outer attributes
    /// aside, are the same (attributes above the checking one have already
    /// run when it sees the item). `None` when nothing matches, as when a
    /// macro generated the item or it sits inside a fn body.
    ///
    /// ```
    /// use taskgroup_blocking::Surroundings;
    ///
    /// let file: syn::File = syn::parse_quote! {
    ///     #[deny_blocking]
    ///     async fn handler() {}
    /// };
    /// let seen: syn::Item = syn::parse_quote!(async fn handler() {});
    /// assert!(Surroundings::locate(&file, &seen).is_some());
    /// let generated: syn::Item = syn::parse_quote!(async fn handler() { work().await });
    /// assert!(Surroundings::locate(&file, &generated).is_none());
    /// ```
    pub fn locate(file: &'f File, item: &Item) -> Option<Self> {
        let key = key_of(item)?;
        let tokens = without_outer_attrs(item);
        let is_it = |i: &Item| key_of(i).as_ref() == Some(&key) && without_outer_attrs(i) == tokens;
        Self::search(file, &is_it)
    }

    /// Finds the fn with this signature's name and this body in `file`: a
    /// free fn, or a method of an `impl` or `trait` (an attribute on a
    /// method sees only the method). `None` when nothing matches.
    ///
    /// ```
    /// use taskgroup_blocking::Surroundings;
    ///
    /// let file: syn::File = syn::parse_quote! {
    ///     mod api { impl Server { async fn serve(&self) { self.run().await } } }
    /// };
    /// let method: syn::ImplItemFn = syn::parse_quote!(async fn serve(&self) { self.run().await });
    /// let around = Surroundings::locate_fn(&file, &method.sig, &method.block).unwrap();
    /// assert_eq!(around.modules().count(), 2);
    /// ```
    pub fn locate_fn(file: &'f File, sig: &syn::Signature, block: &syn::Block) -> Option<Self> {
        let body = block.to_token_stream().to_string();
        let same = |s: &syn::Signature, b: &syn::Block| {
            s.ident == sig.ident && b.to_token_stream().to_string() == body
        };
        let is_it = |item: &Item| match item {
            Item::Fn(f) => same(&f.sig, &f.block),
            Item::Impl(i) => i.items.iter().any(|it| match it {
                syn::ImplItem::Fn(f) => same(&f.sig, &f.block),
                _ => false,
            }),
            Item::Trait(t) => t.items.iter().any(|it| match it {
                syn::TraitItem::Fn(f) => f.default.as_ref().is_some_and(|b| same(&f.sig, b)),
                _ => false,
            }),
            _ => false,
        };
        Self::search(file, &is_it)
    }

    fn search(file: &'f File, is_it: &dyn Fn(&Item) -> bool) -> Option<Self> {
        let mut modules = vec![file.items.as_slice()];
        descend(&mut modules, is_it).then_some(Surroundings { modules })
    }

    /// The item lists, from the file's down to the innermost module's.
    ///
    /// ```
    /// use taskgroup_blocking::Surroundings;
    ///
    /// let file: syn::File = syn::parse_quote!(use std::fs; async fn f() {});
    /// let around = Surroundings::locate(&file, &file.items[1]).unwrap();
    /// assert_eq!(around.modules().next().map(<[syn::Item]>::len), Some(2));
    /// ```
    pub fn modules(&self) -> impl Iterator<Item = &'f [Item]> + '_ {
        self.modules.iter().copied()
    }
}

/// Searches the innermost list of `path` and the inline modules within,
/// leaving `path` at the list that holds the item.
fn descend<'f>(path: &mut Vec<&'f [Item]>, is_it: &dyn Fn(&Item) -> bool) -> bool {
    let Some(items) = path.last().copied() else {
        return false;
    };
    if items.iter().any(is_it) {
        return true;
    }
    for item in items {
        if let Item::Mod(m) = item
            && let Some((_, inner)) = &m.content
        {
            path.push(inner);
            if descend(path, is_it) {
                return true;
            }
            path.pop();
        }
    }
    false
}

/// A cheap identity for the items the check accepts: kind and name.
#[derive(PartialEq, Eq)]
enum Key {
    Fn(String),
    Impl(String),
    Trait(String),
    Mod(String),
}

fn key_of(item: &Item) -> Option<Key> {
    Some(match item {
        Item::Fn(f) => Key::Fn(f.sig.ident.to_string()),
        Item::Impl(i) => Key::Impl(i.self_ty.to_token_stream().to_string()),
        Item::Trait(t) => Key::Trait(t.ident.to_string()),
        Item::Mod(m) => Key::Mod(m.ident.to_string()),
        _ => return None,
    })
}

fn without_outer_attrs(item: &Item) -> String {
    let mut item = item.clone();
    match &mut item {
        Item::Fn(f) => f.attrs.retain(is_inner),
        Item::Impl(i) => i.attrs.retain(is_inner),
        Item::Trait(t) => t.attrs.retain(is_inner),
        Item::Mod(m) => m.attrs.retain(is_inner),
        _ => {}
    }
    item.to_token_stream().to_string()
}

fn is_inner(attr: &syn::Attribute) -> bool {
    matches!(attr.style, syn::AttrStyle::Inner(_))
}
