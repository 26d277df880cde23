//! Macros arrive as raw tokens; these parsers recover the expressions in the
//! argument lists the check understands. Anything else is left unchecked.

use proc_macro2::{TokenStream, TokenTree};
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Expr, Macro, Pat, Token};

/// How the check treats a macro's arguments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MacroKind {
    /// `join!`, `try_join!`, `gather!`, `pin!`: every argument is a future.
    Futures,
    /// `select!`: `pat = future => handler` branches.
    Select,
    /// `vec!`: elements inherit the context of the macro expression.
    Vec,
    /// `println!`, `format!`, `assert!`, log macros: arguments run here.
    Exprs,
    /// `matches!(value, pattern)`: the value runs here, the pattern is no
    /// expression.
    Matches,
    /// Unknown macros: their tokens may be any DSL, so they are not read.
    Opaque,
}

const FORMAT_LIKE: &[&str] = &[
    "println",
    "eprintln",
    "print",
    "eprint",
    "format",
    "format_args",
    "write",
    "writeln",
    "panic",
    "assert",
    "assert_eq",
    "assert_ne",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "unreachable",
    "todo",
    "unimplemented",
    "dbg",
    "info",
    "warn",
    "error",
    "debug",
    "trace",
    "bail",
    "anyhow",
    "ensure",
    "eyre",
];

pub(crate) fn kind_of(mac: &Macro) -> MacroKind {
    let Some(name) = mac.path.segments.last().map(|s| s.ident.to_string()) else {
        return MacroKind::Opaque;
    };
    match name.as_str() {
        "join" | "try_join" | "gather" | "pin" | "pin_mut" => MacroKind::Futures,
        "select" | "select_biased" => MacroKind::Select,
        "vec" => MacroKind::Vec,
        "matches" => MacroKind::Matches,
        n if FORMAT_LIKE.contains(&n) => MacroKind::Exprs,
        _ => MacroKind::Opaque,
    }
}

/// Comma-separated expressions; `gather!` options before a top-level `;` and
/// `vec![x; n]` are handled. `None` when the tokens are not expressions.
pub(crate) fn exprs(tokens: &TokenStream) -> Option<Vec<Expr>> {
    let parse = Punctuated::<Expr, Token![,]>::parse_terminated;
    if let Ok(list) = parse.parse2(tokens.clone()) {
        return Some(list.into_iter().collect());
    }
    // `vec![elem; n]`, `gather!(limit = 4; a, b)`, `tokio::pin!(let f = ..;)`
    let parts = split_semicolons(tokens);
    if parts.len() < 2 {
        return None;
    }
    let mut out = Vec::new();
    for part in parts {
        if part.is_empty() {
            continue;
        }
        if let Ok(list) = parse.parse2(part.clone()) {
            out.extend(list);
        } else if let Ok(syn::Stmt::Local(local)) =
            syn::parse2::<syn::Stmt>(part.into_iter().chain(semi()).collect())
        {
            out.extend(local.init.map(|i| *i.expr));
        }
    }
    Some(out)
}

fn semi() -> Option<TokenTree> {
    Some(TokenTree::Punct(proc_macro2::Punct::new(
        ';',
        proc_macro2::Spacing::Alone,
    )))
}

fn split_semicolons(tokens: &TokenStream) -> Vec<TokenStream> {
    let mut parts = vec![Vec::new()];
    for tt in tokens.clone() {
        match &tt {
            TokenTree::Punct(p) if p.as_char() == ';' => parts.push(Vec::new()),
            _ => {
                if let Some(last) = parts.last_mut() {
                    last.push(tt);
                }
            }
        }
    }
    parts.into_iter().map(|p| p.into_iter().collect()).collect()
}

/// The value `matches!(value, pattern)` tests; `None` when the tokens do
/// not start with an expression and a comma.
pub(crate) fn matches_scrutinee(tokens: &TokenStream) -> Option<Expr> {
    let parser = |input: ParseStream| {
        let value: Expr = input.parse()?;
        input.parse::<Token![,]>()?;
        input.parse::<TokenStream>()?;
        Ok(value)
    };
    parser.parse2(tokens.clone()).ok()
}

/// Names a macro hands to the runtime as futures, read from tokens without
/// parsing: bare-name arguments of `join!`-like macros (`join!(a, &mut b)`),
/// bare-name branch futures of `select!` (`v = fut =>`), and at any depth
/// every name directly followed by `.await`.
pub(crate) fn future_idents(tokens: &TokenStream, kind: MacroKind, out: &mut Vec<String>) {
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    let is_punct = |tt: Option<&TokenTree>, c: char| matches!(tt, Some(TokenTree::Punct(p)) if p.as_char() == c);
    // A bare name (after `&`/`mut`) running up to `end`, if that is all there is.
    let bare_name = |from: usize, end: &dyn Fn(usize) -> bool| {
        let mut i = from;
        while is_punct(trees.get(i), '&')
            || matches!(trees.get(i), Some(TokenTree::Ident(m)) if m == "mut")
        {
            i += 1;
        }
        match trees.get(i) {
            Some(TokenTree::Ident(id)) if end(i + 1) => Some(id.to_string()),
            _ => None,
        }
    };
    for (i, tt) in trees.iter().enumerate() {
        match tt {
            TokenTree::Ident(id)
                if is_punct(trees.get(i + 1), '.')
                    && matches!(trees.get(i + 2), Some(TokenTree::Ident(a)) if a == "await") =>
            {
                out.push(id.to_string());
            }
            TokenTree::Group(g) => future_idents(&g.stream(), MacroKind::Opaque, out),
            TokenTree::Punct(p) => {
                let starts_argument = matches!(p.as_char(), ',' | ';');
                let select_future = p.as_char() == '='
                    && p.spacing() == proc_macro2::Spacing::Alone
                    && !matches!(
                        i.checked_sub(1).and_then(|j| trees.get(j)),
                        Some(TokenTree::Punct(_))
                    );
                if kind == MacroKind::Futures && starts_argument {
                    let end = |j: usize| {
                        j == trees.len()
                            || is_punct(trees.get(j), ',')
                            || is_punct(trees.get(j), ';')
                    };
                    out.extend(bare_name(i + 1, &end));
                }
                if kind == MacroKind::Select && select_future {
                    let end = |j: usize| is_punct(trees.get(j), ',') || is_punct(trees.get(j), '=');
                    out.extend(bare_name(i + 1, &end));
                }
            }
            _ => {}
        }
    }
    if kind == MacroKind::Futures {
        let end = |j: usize| {
            j == trees.len() || is_punct(trees.get(j), ',') || is_punct(trees.get(j), ';')
        };
        out.extend(bare_name(0, &end));
    }
}

/// The parts of a `select!` body.
#[derive(Default)]
pub(crate) struct Select {
    /// Branch futures: polled by the select, so awaited.
    pub(crate) futures: Vec<Expr>,
    /// Preconditions and handlers: ordinary code in async context.
    pub(crate) others: Vec<Expr>,
}

pub(crate) fn select(tokens: &TokenStream) -> Option<Select> {
    let parser = |input: ParseStream| {
        let mut out = Select::default();
        while !input.is_empty() {
            if input.peek(syn::Ident) && input.peek2(Token![;]) {
                // `biased;`
                input.parse::<syn::Ident>()?;
                input.parse::<Token![;]>()?;
                continue;
            }
            if input.peek(Token![else]) {
                input.parse::<Token![else]>()?;
            } else {
                Pat::parse_multi_with_leading_vert(input)?;
                input.parse::<Token![=]>()?;
                out.futures.push(input.parse()?);
                if input.peek(Token![,]) && input.peek2(Token![if]) {
                    input.parse::<Token![,]>()?;
                    input.parse::<Token![if]>()?;
                    out.others.push(input.parse()?);
                }
            }
            input.parse::<Token![=>]>()?;
            out.others.push(handler(input)?);
            if input.peek(Token![,]) {
                input.parse::<Token![,]>()?;
            }
        }
        Ok(out)
    };
    parser.parse2(tokens.clone()).ok()
}

/// A branch handler: a block ends the branch without a comma.
fn handler(input: ParseStream) -> syn::Result<Expr> {
    if input.peek(syn::token::Brace) {
        let block: syn::Block = input.parse()?;
        return Ok(Expr::Block(syn::ExprBlock {
            attrs: Vec::new(),
            label: None,
            block,
        }));
    }
    input.parse()
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn reads_select_branches() {
        let s = select(&quote! {
            biased;
            Some(m) = rx.recv(), if open => { handle(m) }
            _ = sleep(d) => std::thread::sleep(d),
            else => {}
        })
        .expect("parses");
        assert_eq!(s.futures.len(), 2);
        assert_eq!(s.others.len(), 4);
    }

    #[test]
    fn reads_future_names_from_tokens() {
        let mut names = Vec::new();
        future_idents(
            &quote!(a, &mut b, c(), d.await),
            MacroKind::Futures,
            &mut names,
        );
        names.sort();
        assert_eq!(names, ["a", "b", "d"]);
        let mut names = Vec::new();
        future_idents(
            &quote!(_ = &mut deadline => break, Some(v) = rx.recv() => out.push(v), x = t, if ok => {}),
            MacroKind::Select,
            &mut names,
        );
        names.sort();
        assert_eq!(names, ["deadline", "t"]);
    }

    #[test]
    fn reads_the_value_matches_tests() {
        let value = matches_scrutinee(&quote!(std::fs::metadata(p), Ok(m) if m.is_file()));
        assert_eq!(
            value.map(|v| quote::ToTokens::to_token_stream(&v).to_string()),
            Some("std :: fs :: metadata (p)".to_string())
        );
        assert!(matches_scrutinee(&quote!(=> nothing)).is_none());
    }

    #[test]
    fn reads_options_and_repeat_forms() {
        assert_eq!(
            exprs(&quote!(limit = 4; a(), b())).map(|v| v.len()),
            Some(3)
        );
        assert_eq!(exprs(&quote!(f(); 3)).map(|v| v.len()), Some(2));
        assert_eq!(exprs(&quote!(let f = g();)).map(|v| v.len()), Some(1));
    }
}
