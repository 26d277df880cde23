//! Removal of `#[allow_blocking]` from emitted code.
//!
//! Attribute macros on statements and expressions are unstable, so the marker
//! must not reach the compiler there: the check reads it, then strips it.
//! Working on tokens keeps every other token and span exactly as written.

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};

/// Returns `tokens` without any `#[allow_blocking]` / `#[taskgroup::allow_blocking]`
/// attribute, at any depth (including inside macro arguments).
pub(crate) fn strip_allow_blocking(tokens: TokenStream) -> TokenStream {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::with_capacity(trees.len());
    let mut i = 0;
    while i < trees.len() {
        if let TokenTree::Punct(p) = &trees[i]
            && p.as_char() == '#'
        {
            // `#[..]` or `#![..]`
            let bang = matches!(trees.get(i + 1), Some(TokenTree::Punct(b)) if b.as_char() == '!');
            let at = if bang { i + 2 } else { i + 1 };
            if let Some(TokenTree::Group(g)) = trees.get(at)
                && g.delimiter() == Delimiter::Bracket
                && is_allow_blocking(g.stream())
            {
                i = at + 1;
                continue;
            }
        }
        out.push(match &trees[i] {
            TokenTree::Group(g) => {
                let mut ng = Group::new(g.delimiter(), strip_allow_blocking(g.stream()));
                ng.set_span(g.span());
                TokenTree::Group(ng)
            }
            other => other.clone(),
        });
        i += 1;
    }
    out.into_iter().collect()
}

/// Whether an attribute body is a bare path ending in `allow_blocking`.
fn is_allow_blocking(body: TokenStream) -> bool {
    let mut last_ident = None;
    for tt in body {
        match tt {
            TokenTree::Ident(id) => last_ident = Some(id.to_string()),
            TokenTree::Punct(p) if p.as_char() == ':' => {}
            _ => return false,
        }
    }
    last_ident.as_deref() == Some("allow_blocking")
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn strips_at_any_depth_and_keeps_other_attributes() {
        let out = strip_allow_blocking(quote! {
            #[allow_blocking] fn a() {}
            async fn b() {
                #[allow_blocking]
                std::thread::sleep(d);
                #[taskgroup::allow_blocking] let x = 1;
                #[allow(unused)] let y = 2;
                gather!(#[allow_blocking] f());
            }
        });
        let s = out.to_string();
        assert!(!s.contains("allow_blocking"), "{s}");
        assert!(s.contains("allow (unused)"), "{s}");
    }
}
