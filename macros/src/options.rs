//! The options shared by `gather!` and `#[task_group]`.
//!
//! Parsing is two steps, like the macros themselves: [`parse`] reads
//! `key`, `key = value` and the blocking check's `extra = [..]`/`allow = [..]`
//! into [`RawOption`]s (only malformed syntax stops it), and [`validate`]
//! turns them into typed [`Options`], collecting *every* problem (unknown,
//! duplicate, misplaced or ill-typed options) as a spanned error.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::ext::IdentExt as _;
use syn::parse::{ParseStream, Parser};
use syn::spanned::Spanned as _;
use syn::{Expr, ExprLit, ExprPath, Ident, Lit, Path, Token};

use crate::blocking::CheckOptions;

/// Declares [`Key`] from one table: each option's variant, how it is
/// spelled, and how it is written in messages.
macro_rules! keys {
    ($($key:ident => $name:literal, $usage:literal;)*) => {
        /// Every option either macro knows.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub(crate) enum Key {
            $($key,)*
        }

        impl Key {
            const ALL: &[Key] = &[$(Key::$key,)*];

            fn as_str(self) -> &'static str {
                match self {
                    $(Key::$key => $name,)*
                }
            }

            /// How the option is written, for messages.
            fn usage(self) -> &'static str {
                match self {
                    $(Key::$key => $usage,)*
                }
            }
        }
    };
}

keys! {
    Supervisor => "supervisor", "`supervisor`";
    Limit => "limit", "`limit = 4`";
    Timeout => "timeout", "`timeout = Duration::from_secs(5)`";
    GracePeriod => "grace_period", "`grace_period = Duration::from_secs(1)`";
    SlowPoll => "slow_poll", "`slow_poll = Duration::from_millis(100)`";
    Crate => "crate", "`crate = my_taskgroup`";
    Settled => "settled", "`settled`";
    Local => "local", "`local`";
    Stagger => "stagger", "`stagger = Duration::from_millis(250)`";
}

impl Key {
    fn is_flag(self) -> bool {
        matches!(self, Key::Supervisor | Key::Settled | Key::Local)
    }

    fn from_ident(ident: &Ident) -> Option<Key> {
        let s = ident.unraw().to_string();
        Key::ALL.iter().copied().find(|k| k.as_str() == s)
    }
}

/// Whether `ident` names an option of either macro (so it cannot name a
/// task group's handle).
pub(crate) fn is_option_name(ident: &Ident) -> bool {
    Key::from_ident(ident).is_some() || ident == "extra" || ident == "allow"
}

/// Which macro the options belong to: what it accepts and how it is named.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Accepts {
    /// `#[task_group]` or `gather!`, as written in messages.
    pub(crate) what: &'static str,
    pub(crate) keys: &'static [Key],
}

pub(crate) const TASK_GROUP: Accepts = Accepts {
    what: "#[task_group]",
    keys: &[
        Key::Supervisor,
        Key::Limit,
        Key::Timeout,
        Key::GracePeriod,
        Key::SlowPoll,
        Key::Crate,
    ],
};

pub(crate) const GATHER: Accepts = Accepts {
    what: "gather!",
    keys: &[
        Key::Settled,
        Key::Local,
        Key::Limit,
        Key::Timeout,
        Key::Crate,
    ],
};

pub(crate) const RACE: Accepts = Accepts {
    what: "race!",
    keys: &[Key::Local, Key::Timeout, Key::Stagger, Key::Crate],
};

impl Accepts {
    fn list(&self) -> String {
        let mut list: Vec<&str> = self.keys.iter().map(|k| k.usage()).collect();
        list.push("`extra = [path, ..]`");
        list.push("`allow = [path, ..]`");
        list.join(", ")
    }

    /// A sentence listing the accepted options.
    pub(crate) fn takes(&self) -> String {
        format!("`{}` takes {}", self.what, self.list())
    }
}

/// One option as written: a key and, after `=`, a value.
#[derive(Clone)]
pub(crate) struct RawOption {
    pub(crate) key: Ident,
    pub(crate) value: Option<Expr>,
}

/// The parsed option list: plain options, and the blocking check's options
/// (parsed by the check's own parser, errors kept for [`validate`]).
#[derive(Default)]
pub(crate) struct RawOptions {
    pub(crate) options: Vec<RawOption>,
    pub(crate) check: CheckOptions,
    /// Keys of the blocking check's options, for duplicate detection.
    pub(crate) check_keys: Vec<Ident>,
}

/// Parses a comma-separated option list (`settled, limit = 4, crate = ::tg`).
pub(crate) fn parse(tokens: TokenStream) -> syn::Result<RawOptions> {
    let parser = |input: ParseStream| {
        let mut raw = RawOptions::default();
        while !input.is_empty() {
            // `crate` is a keyword; `IdentExt::parse_any` takes it too.
            let key = Ident::parse_any(input).map_err(|e| {
                syn::Error::new(
                    e.span(),
                    "expected an option name, like `limit = 4` or `supervisor`",
                )
            })?;
            if CheckOptions::is_option(&key) {
                raw.check.parse_option(&key, input)?;
                raw.check_keys.push(key);
            } else {
                let value = if input.peek(Token![=]) {
                    input.parse::<Token![=]>()?;
                    Some(input.parse::<Expr>().map_err(|e| {
                        syn::Error::new(e.span(), format!("expected a value after `{key} =`"))
                    })?)
                } else {
                    None
                };
                raw.options.push(RawOption { key, value });
            }
            if input.is_empty() {
                break;
            }
            input
                .parse::<Token![,]>()
                .map_err(|e| syn::Error::new(e.span(), "expected `,` between options"))?;
        }
        Ok(raw)
    };
    parser.parse2(tokens)
}

/// The validated options. Fields of options the macro does not take stay unset.
#[derive(Default)]
pub(crate) struct Options {
    pub(crate) supervisor: bool,
    pub(crate) limit: Option<Limit>,
    pub(crate) timeout: Option<Expr>,
    /// `grace_period = EXPR`: children see the token first, then are aborted.
    pub(crate) grace_period: Option<Expr>,
    /// `slow_poll = EXPR`: the slow-poll detector's threshold, in any build.
    pub(crate) slow_poll: Option<Expr>,
    pub(crate) krate: Option<Path>,
    pub(crate) settled: bool,
    pub(crate) local: bool,
    /// `stagger = EXPR`: a race starts its next future after this delay.
    pub(crate) stagger: Option<Expr>,
    pub(crate) check: CheckOptions,
}

/// `limit = N`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limit {
    pub(crate) value: usize,
}

impl Options {
    /// The path the expansion names the runtime by: `::taskgroup`, or `crate = ..`.
    pub(crate) fn runtime_path(&self) -> TokenStream {
        match &self.krate {
            Some(path) => path.to_token_stream(),
            None => quote::quote_spanned!(Span::call_site()=> ::taskgroup),
        }
    }
}

/// Checks every option; returns the options that are valid and one error per
/// problem (an invalid option is left unset, so expansion can go on).
pub(crate) fn validate(raw: RawOptions, accepts: Accepts) -> (Options, Vec<syn::Error>) {
    let mut opts = Options {
        check: raw.check,
        ..Options::default()
    };
    let mut errors = Vec::new();
    let mut seen: Vec<(Key, Span)> = Vec::new();
    let mut seen_check: Vec<String> = Vec::new();
    for key in &raw.check_keys {
        let s = key.to_string();
        if seen_check.contains(&s) {
            errors.push(syn::Error::new(
                key.span(),
                format!("duplicate option `{s}`: list every path in one `{s} = [..]`"),
            ));
        }
        seen_check.push(s);
    }
    for RawOption { key: ident, value } in raw.options {
        let Some(key) = Key::from_ident(&ident).filter(|k| accepts.keys.contains(k)) else {
            errors.push(unknown(&ident, accepts));
            continue;
        };
        if seen.iter().any(|(k, _)| *k == key) {
            errors.push(syn::Error::new(
                ident.span(),
                format!(
                    "duplicate option `{}`: give it once, e.g. {}",
                    key.as_str(),
                    key.usage()
                ),
            ));
            continue;
        }
        seen.push((key, ident.span()));
        match (key.is_flag(), value) {
            (true, Some(value)) => {
                errors.push(syn::Error::new_spanned(
                    &value,
                    format!(
                        "`{}` is a flag and takes no value: write {}",
                        key.as_str(),
                        key.usage()
                    ),
                ));
            }
            (true, None) => match key {
                Key::Supervisor => opts.supervisor = true,
                Key::Settled => opts.settled = true,
                Key::Local => opts.local = true,
                _ => {}
            },
            (false, None) => errors.push(syn::Error::new(
                ident.span(),
                format!("`{}` needs a value: write {}", key.as_str(), key.usage()),
            )),
            (false, Some(value)) => match key {
                Key::Limit => match limit_value(&value) {
                    Ok(limit) => opts.limit = Some(limit),
                    Err(e) => errors.push(e),
                },
                Key::Crate => match crate_value(&value) {
                    Ok(path) => opts.krate = Some(path),
                    Err(e) => errors.push(e),
                },
                Key::Timeout => opts.timeout = Some(value),
                Key::GracePeriod => opts.grace_period = Some(value),
                Key::SlowPoll => opts.slow_poll = Some(value),
                Key::Stagger => opts.stagger = Some(value),
                _ => {}
            },
        }
    }
    (opts, errors)
}

fn unknown(ident: &Ident, accepts: Accepts) -> syn::Error {
    let written = ident.unraw().to_string();
    let hint = match (written.as_str(), accepts.what) {
        ("supervisor", "gather!") => {
            " (for results that don't cancel each other, use `settled`)".to_string()
        }
        ("settled", "#[task_group]") => " (for failures that don't cancel siblings, use `supervisor`)"
            .to_string(),
        ("local", "#[task_group]") => {
            " (a group's children are always spawned; use `gather!(local; ..)` to poll futures in place)"
                .to_string()
        }
        ("name", "gather!") => {
            " (gather! children are named `task-0`, `task-1`, .. by position)".to_string()
        }
        ("name", "#[task_group]") => {
            " (the handle's name comes first, without `name =`: `#[task_group(group)]`)".to_string()
        }
        ("stagger", "gather!" | "#[task_group]") => {
            " (`stagger` is `race!`'s, where the first success wins; its futures start one after another)"
                .to_string()
        }
        ("limit", "race!") => {
            " (a race starts its futures all at once, or one after another with `stagger`; \
             `stagger = Duration::MAX` runs one at a time)"
                .to_string()
        }
        ("settled", "race!") => {
            " (a race never cancels on a failure; when every future fails, the error holds every failure)"
                .to_string()
        }
        _ => accepts
            .keys
            .iter()
            .map(|k| k.as_str())
            .chain(["extra", "allow"])
            .filter(|k| edit_distance(k, &written) <= 2)
            .min_by_key(|k| edit_distance(k, &written))
            .map(|k| format!(" (did you mean `{k}`?)"))
            .unwrap_or_default(),
    };
    syn::Error::new(
        ident.span(),
        format!("unknown option `{written}`{hint}; {}", accepts.takes()),
    )
}

fn limit_value(value: &Expr) -> syn::Result<Limit> {
    let Expr::Lit(ExprLit {
        lit: Lit::Int(lit), ..
    }) = value
    else {
        return Err(syn::Error::new_spanned(
            value,
            format!(
                "`limit` takes an integer literal, like `limit = 4`, not `{}`; \
                 for a limit computed at run time, use `taskgroup::Builder::new().limit(n)`",
                value.to_token_stream()
            ),
        ));
    };
    match lit.base10_parse::<usize>() {
        Ok(0) => Err(syn::Error::new(
            lit.span(),
            "`limit = 0` would never run anything: the limit is how many children run at once, \
             write `limit = 1` or more",
        )),
        Ok(value) if lit.suffix().is_empty() || lit.suffix() == "usize" => Ok(Limit { value }),
        Ok(_) => Err(syn::Error::new(
            lit.span(),
            format!(
                "`limit` is a `usize`; write it without the `{}` suffix, like `limit = {}`",
                lit.suffix(),
                lit.base10_digits()
            ),
        )),
        Err(_) => Err(syn::Error::new(
            lit.span(),
            "`limit` must fit in a `usize`, like `limit = 4`",
        )),
    }
}

fn crate_value(value: &Expr) -> syn::Result<Path> {
    match value {
        Expr::Path(ExprPath {
            attrs, qself, path, ..
        }) if attrs.is_empty() && qself.is_none() => Ok(path.clone()),
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => s.parse::<Path>().map_err(|_| {
            syn::Error::new(
                s.span(),
                format!(
                    "`crate` takes the path the taskgroup crate is known by, like `crate = my_taskgroup`; `{}` is not a path",
                    s.value()
                ),
            )
        }),
        other => Err(syn::Error::new(
            other.span(),
            format!(
                "`crate` takes the path the taskgroup crate is known by, like `crate = my_taskgroup`, not `{}`",
                other.to_token_stream()
            ),
        )),
    }
}

/// Levenshtein distance, for "did you mean" hints on short option names.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn check(tokens: TokenStream, accepts: Accepts) -> (Options, Vec<String>) {
        let raw = parse(tokens).expect("parses");
        let (opts, errors) = validate(raw, accepts);
        (opts, errors.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn parses_every_task_group_option() {
        let (opts, errors) = check(
            quote!(
                supervisor,
                limit = 4,
                timeout = Duration::from_secs(1),
                crate = ::tg
            ),
            TASK_GROUP,
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert!(opts.supervisor);
        assert_eq!(opts.limit.unwrap().value, 4);
        assert!(opts.timeout.is_some());
        assert_eq!(opts.runtime_path().to_string(), ":: tg");
    }

    #[test]
    fn parses_gather_flags_and_trailing_comma() {
        let (opts, errors) = check(quote!(settled, local, limit = 2usize,), GATHER);
        assert!(errors.is_empty(), "{errors:?}");
        assert!(opts.settled && opts.local);
        assert_eq!(opts.limit.unwrap().value, 2);
        assert_eq!(opts.runtime_path().to_string(), ":: taskgroup");
    }

    #[test]
    fn crate_accepts_a_string_like_tokio() {
        let (opts, errors) = check(quote!(crate = "my_tg"), TASK_GROUP);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(opts.runtime_path().to_string(), "my_tg");
    }

    #[test]
    fn forwards_blocking_check_options() {
        let (opts, errors) = check(quote!(extra = [my::sync_fn], limit = 1), GATHER);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            opts.check.extra,
            vec![vec!["my".to_string(), "sync_fn".to_string()]]
        );
    }

    #[test]
    fn reports_every_problem() {
        let (opts, errors) = check(
            quote!(
                limit = 0,
                name = group,
                supervisor = true,
                timeout,
                limt = 3,
                limit = n,
                local
            ),
            TASK_GROUP,
        );
        assert_eq!(errors.len(), 7, "{errors:#?}");
        assert!(errors[0].contains("`limit = 0` would never run anything"));
        assert!(
            errors[1].contains("unknown option `name` (the handle's name comes first, without `name =`: `#[task_group(group)]`)"),
            "{errors:?}"
        );
        assert!(errors[2].contains("`supervisor` is a flag"));
        assert!(errors[3].contains("`timeout` needs a value"));
        assert!(errors[4].contains("unknown option `limt` (did you mean `limit`?)"));
        // `limit = 0` was already seen: a duplicate, whatever its value.
        assert!(errors[5].contains("duplicate option `limit`"));
        assert!(errors[6].contains("unknown option `local`"));
        assert!(opts.limit.is_none());
    }

    #[test]
    fn unknown_options_point_to_the_right_macro() {
        let (_, errors) = check(quote!(supervisor), GATHER);
        assert!(errors[0].contains("use `settled`"), "{errors:?}");
        let (_, errors) = check(quote!(settled), TASK_GROUP);
        assert!(errors[0].contains("use `supervisor`"), "{errors:?}");
        let (_, errors) = check(quote!(local), TASK_GROUP);
        assert!(errors[0].contains("gather!(local; ..)"), "{errors:?}");
        let (_, errors) = check(quote!(stagger = d), GATHER);
        assert!(errors[0].contains("`stagger` is `race!`'s"), "{errors:?}");
        let (_, errors) = check(quote!(limit = 2), RACE);
        assert!(
            errors[0].contains("`stagger = Duration::MAX` runs one at a time"),
            "{errors:?}"
        );
    }

    #[test]
    fn limit_needs_an_unsuffixed_integer_literal() {
        for (tokens, needle) in [
            (quote!(limit = n), "integer literal"),
            (quote!(limit = 2 + 2), "integer literal"),
            (quote!(limit = 3u8), "without the `u8` suffix"),
            (
                quote!(limit = 99999999999999999999999999),
                "fit in a `usize`",
            ),
        ] {
            let (_, errors) = check(tokens.clone(), GATHER);
            assert!(errors[0].contains(needle), "{tokens}: {errors:?}");
        }
    }

    #[test]
    fn malformed_syntax_is_a_parse_error_not_a_panic() {
        for tokens in [
            quote!(= 3),
            quote!(limit = ),
            quote!(limit 3),
            quote!(1, 2),
            quote!(extra = 3),
        ] {
            assert!(parse(tokens).is_err());
        }
    }

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("limit", "limt"), 1);
        assert_eq!(edit_distance("local", "lokal"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }
}
