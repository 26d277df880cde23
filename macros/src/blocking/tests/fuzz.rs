//! The check never panics: random token streams, mutations of valid inputs
//! and every corpus file go through `expand_deny_blocking`.

use proc_macro2::TokenStream;
use proptest::prelude::*;

use super::super::expand_deny_blocking;

/// Tokens that steer the parser into the check's interesting corners.
const VOCAB: &[&str] = &[
    "async",
    "fn",
    "f",
    "mod",
    "m",
    "impl",
    "S",
    "use",
    "std",
    "::",
    "thread",
    "sleep",
    "fs",
    "read",
    "tokio",
    "spawn_blocking",
    "|",
    "||",
    "move",
    ".",
    "await",
    "let",
    "x",
    "=",
    ";",
    ",",
    "(",
    ")",
    "{",
    "}",
    "[",
    "]",
    "#",
    "allow_blocking",
    "deny_blocking",
    "!",
    "join",
    "select",
    "=>",
    "gather",
    "?",
    "&",
    "mut",
    "self",
    "super",
    "crate",
    "as",
    "*",
    "recv",
    "mpsc",
    "channel",
    "File",
    "open",
    "block_on",
    "Command",
    "new",
    "output",
    "\"s\"",
    "1",
    "'a",
    "<",
    ">",
    "->",
    "extra",
    "allow",
    "for",
    "in",
    "if",
    "else",
    "match",
    "_",
    "vec",
    "println",
    "struct",
    "pub",
];

const SEEDS: &[&str] = &[
    "async fn f() { std::thread::sleep(d); }",
    "mod m { use std::fs; async fn f() { let a = fs::read(p); tokio::join!(a, b()); } }",
    "impl S { async fn f(&self, rx: mpsc::Receiver<u8>) { rx.recv(); self.c.execute(\"x\", []); } }",
    "async fn f() { tokio::select! { _ = sleep(d) => { std::fs::read(p); } else => {} } }",
    "async fn f() { #[allow_blocking] let x = std::fs::read(p); vec![1; 3]; gather!(limit = 2; a(), b()); }",
    "fn main() { tokio::runtime::Builder::new_multi_thread().build().unwrap().block_on(async {}) }",
    "async fn f() { use std::{io::{self, Read as R}, fs::*}; io::stdin().read_line(&mut s); }",
];

fn parse(src: &str) -> Option<TokenStream> {
    src.parse().ok()
}

/// Flat token strings of a source, delimiters included, so mutations can
/// unbalance or rebalance groups.
fn flat_tokens(src: &str) -> Vec<String> {
    fn walk(ts: TokenStream, out: &mut Vec<String>) {
        for tt in ts {
            match tt {
                proc_macro2::TokenTree::Group(g) => {
                    let (open, close) = match g.delimiter() {
                        proc_macro2::Delimiter::Parenthesis => ("(", ")"),
                        proc_macro2::Delimiter::Brace => ("{", "}"),
                        proc_macro2::Delimiter::Bracket => ("[", "]"),
                        proc_macro2::Delimiter::None => ("", ""),
                    };
                    out.push(open.into());
                    walk(g.stream(), out);
                    out.push(close.into());
                }
                other => out.push(other.to_string()),
            }
        }
    }
    let mut out = Vec::new();
    walk(parse(src).unwrap_or_default(), &mut out);
    out
}

#[derive(Debug, Clone)]
enum Mutation {
    Delete(usize),
    Insert(usize, usize),
    Swap(usize, usize),
    Duplicate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Delete),
        (any::<usize>(), 0..VOCAB.len()).prop_map(|(a, b)| Mutation::Insert(a, b)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::Swap(a, b)),
        any::<usize>().prop_map(Mutation::Duplicate),
    ]
}

fn apply(tokens: &mut Vec<String>, m: &Mutation) {
    let n = tokens.len().max(1);
    match *m {
        Mutation::Delete(i) if !tokens.is_empty() => {
            tokens.remove(i % n);
        }
        Mutation::Insert(i, v) => tokens.insert(i % (tokens.len() + 1), VOCAB[v].to_string()),
        Mutation::Swap(a, b) if !tokens.is_empty() => tokens.swap(a % n, b % n),
        Mutation::Duplicate(i) if !tokens.is_empty() => {
            let t = tokens[i % n].clone();
            tokens.insert(i % n, t);
        }
        _ => {}
    }
}

/// A random token tree: a vocabulary token, or a balanced group of trees,
/// so most generated streams tokenize and reach the parser and the check.
fn token_tree() -> impl Strategy<Value = String> {
    let leaf = (0..VOCAB.len())
        .prop_filter("no lone delimiters", |&i| !"(){}[]".contains(VOCAB[i]))
        .prop_map(|i| VOCAB[i].to_string());
    leaf.prop_recursive(4, 64, 8, |inner| {
        (0..3usize, proptest::collection::vec(inner, 0..8)).prop_map(|(d, trees)| {
            let (open, close) = [("(", ")"), ("{", "}"), ("[", "]")][d];
            format!("{open} {} {close}", trees.join(" "))
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    #[test]
    fn random_token_streams_never_panic(
        attr in proptest::collection::vec(token_tree(), 0..4),
        item in proptest::collection::vec(token_tree(), 0..24),
    ) {
        if let (Some(attr), Some(item)) = (parse(&attr.join(" ")), parse(&item.join(" "))) {
            let _ = expand_deny_blocking(attr, item, None);
        }
    }

    #[test]
    fn random_bodies_of_async_fns_never_panic(body in proptest::collection::vec(token_tree(), 0..32)) {
        // A valid item shell around random tokens reaches the walk more often.
        if let Some(item) = parse(&format!("async fn f() {{ {} }}", body.join(" "))) {
            let _ = expand_deny_blocking(TokenStream::new(), item, None);
        }
    }

    #[test]
    fn mutated_valid_inputs_never_panic(
        seed in 0..SEEDS.len(),
        mutations in proptest::collection::vec(mutation(), 1..6),
    ) {
        let mut tokens = flat_tokens(SEEDS[seed]);
        for m in &mutations {
            apply(&mut tokens, m);
        }
        if let Some(item) = parse(&tokens.join(" ")) {
            let _ = expand_deny_blocking(TokenStream::new(), item, None);
        }
    }
}

#[test]
fn corpus_files_never_panic_whole_or_truncated() {
    for kind in ["accept", "reject"] {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/blocking")
            .join(kind);
        let Ok(rd) = std::fs::read_dir(dir) else {
            continue;
        };
        for entry in rd.flatten() {
            let src = std::fs::read_to_string(entry.path()).unwrap_or_default();
            // The file as the attribute sees it around its item, too.
            let file = syn::parse_file(&src).ok();
            let view = file.as_ref().map(taskgroup_blocking::FileView::of);
            let tokens = flat_tokens(&src);
            for cut in [tokens.len(), tokens.len() / 2, tokens.len() / 3] {
                if let Some(item) = parse(&tokens[..cut].join(" ")) {
                    let _ = expand_deny_blocking(TokenStream::new(), item.clone(), None);
                    let _ = expand_deny_blocking(TokenStream::new(), item, view.as_ref());
                }
            }
        }
    }
}
