//! Findings: a resolved call or a typed method call matched against the
//! catalogue and the user's `extra`/`allow` lists.

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
use quote::ToTokens;
use syn::{Expr, ExprCall, ExprMethodCall};

use super::resolve::call_segments;
use super::{Checker, Hit, Usage};
use crate::catalogue::{CATALOGUE, Kind, index};
use crate::types::Yields;

impl Checker<'_> {
    pub(super) fn report(&mut self, span_of: &dyn ToTokens, message: String, hit: Hit) {
        self.errors.push(syn::Error::new_spanned(span_of, message));
        self.hits.push(hit);
    }

    pub(super) fn check_call(&mut self, c: &ExprCall, usage: Usage) {
        let awaited = usage == Usage::Awaited;
        let Some(written) = call_segments(c) else {
            return;
        };
        // Only a catalogue or `extra` name, or a renamed import, can match.
        let (Some(first), Some(last)) = (written.first(), written.last()) else {
            return;
        };
        let candidate = index().names.contains(last.as_str())
            || self.opts.extra.iter().any(|e| e.last() == Some(last))
            || (written.len() == 1 && self.scopes.is_alias(first));
        if !candidate {
            return;
        }
        let Some(call) = self.resolve_call_as_written(&written, usage) else {
            // The crate's own code: only `extra` names it, as written.
            let own = written
                .iter()
                .skip_while(|s| matches!(s.as_str(), "crate" | "self" | "super"));
            let own: Vec<String> = own.cloned().collect();
            if !awaited {
                self.report_extra(c, &own, true);
            }
            return;
        };
        let path = call.path.join("::");
        if call.path.first().is_some_and(|s| s == "tokio") {
            return;
        }
        if let Some(entry) = index().by_path.get(path.as_str()) {
            if !self.opts.allows(entry.path) {
                let mut message = entry.message(entry.path);
                if call.guessed {
                    message.push_str(&assumed(&written.join("::"), entry.path));
                }
                let hit = Hit {
                    shown: entry.path.to_string(),
                    entry: Some(entry.path),
                    guard: false,
                };
                self.report(c, message, hit);
            }
            return;
        }
        self.report_extra(c, &call.path, call.unresolved && !awaited);
    }

    /// Reports a call the user listed in `extra`: matched exactly, or by
    /// `path` being a suffix of the entry when `suffix` allows.
    fn report_extra(&mut self, c: &ExprCall, path: &[String], suffix: bool) {
        if let Some(extra) = self.opts.extra_match(path, suffix) {
            let message = format!(
                "`{extra}` is listed as blocking in this `#[deny_blocking(extra = [..])]`; \
                 use an async alternative with `.await`, or move the work into \
                 `tokio::task::spawn_blocking`"
            );
            let hit = Hit {
                shown: extra,
                entry: None,
                guard: false,
            };
            self.report(c, message, hit);
        }
    }

    pub(super) fn check_method(&mut self, m: &ExprMethodCall, name: &str) {
        let Some(entries) = index().methods.get(name) else {
            return;
        };
        let argc = m.args.len();
        let receiver = match self.type_of(&m.receiver) {
            Some(Yields::One(t)) => Some(t),
            _ => None,
        };
        let found = entries.iter().find_map(|&e| match e.kind {
            Kind::Method { on, args } => {
                let t = receiver.filter(|t| on.contains(t))?;
                // Types are followed through `BufReader::new`, so the
                // receiver of a `BufRead` method is the reader it wraps.
                let shown = if e.path.starts_with("std::io::BufRead::") {
                    format!("std::io::BufReader<{t}>::{name}")
                } else {
                    format!("{t}::{name}")
                };
                args.is_none_or(|a| a == argc).then_some((e, shown))
            }
            Kind::NamedMethod { args } => {
                let fits = args.is_none_or(|a| a == argc) && !self.scopes.defines_method(name);
                let shown = receiver.map_or_else(|| e.path.to_string(), |t| format!("{t}::{name}"));
                fits.then_some((e, shown))
            }
            Kind::QueryMethod { conns } => {
                let conn = m.args.first().and_then(|a| self.type_of(a));
                matches!(conn, Some(Yields::One(t)) if conns.contains(&t))
                    .then(|| (e, e.path.to_string()))
            }
            Kind::Function | Kind::AssociatedFunction => None,
        });
        if let Some((entry, shown)) = found
            && !self.opts.allows(entry.path)
            && !self.opts.allows(&shown)
        {
            let mut message = entry.message(&shown);
            if let Some((written, full)) = self.guess_behind(&m.receiver) {
                message.push_str(&assumed(&written, &full));
            }
            let hit = Hit {
                shown,
                entry: Some(entry.path),
                guard: false,
            };
            self.report(&method_span_tokens(m), message, hit);
        }
    }

    /// A `for` loop over a tracked type whose iteration blocks.
    pub(super) fn check_blocking_loop(&mut self, iterable: &Expr, looped: &BlockingLoop) {
        let entry = CATALOGUE.iter().find(|e| e.path == looped.entry);
        if let Some(entry) = entry
            && !self.opts.allows(entry.path)
            && !self.opts.allows(looped.shown)
        {
            let hit = Hit {
                shown: looped.shown.to_string(),
                entry: Some(entry.path),
                guard: false,
            };
            self.report(iterable, entry.message(looped.shown), hit);
        }
    }
}

/// A tracked type whose `for` loop blocks: the catalogue entry it counts as,
/// and the call shown (the loop's implicit `into_iter`).
pub(super) struct BlockingLoop {
    on: &'static str,
    entry: &'static str,
    shown: &'static str,
}

const BLOCKING_LOOPS: &[BlockingLoop] = &[
    BlockingLoop {
        on: "std::sync::mpsc::Receiver",
        entry: "std::sync::mpsc::Receiver::iter",
        shown: "std::sync::mpsc::Receiver::into_iter",
    },
    BlockingLoop {
        on: "walkdir::WalkDir",
        entry: "walkdir::WalkDir::into_iter",
        shown: "walkdir::WalkDir::into_iter",
    },
];

/// How a `for` loop over a value of tracked type `ty` blocks, if it does.
pub(super) fn blocking_loop(ty: &str) -> Option<&'static BlockingLoop> {
    BLOCKING_LOOPS.iter().find(|l| l.on == ty)
}

/// Tokens spanning a method call from its name to its closing parenthesis.
fn method_span_tokens(m: &ExprMethodCall) -> TokenStream {
    let mut group = Group::new(Delimiter::Parenthesis, TokenStream::new());
    group.set_span(m.paren_token.span.join());
    let mut ts = TokenStream::new();
    ts.extend([TokenTree::Ident(m.method.clone()), TokenTree::Group(group)]);
    ts
}

/// The note on a finding that rests on a guess: what was assumed, why, and
/// how to say otherwise.
fn assumed(written: &str, full: &str) -> String {
    format!(
        " (assumed: nothing in view imports `{written}` and its value is used synchronously, \
         so it was taken as `{full}`; if it is another item, import it by its full path, \
         or mark the call `#[allow_blocking]`)"
    )
}
