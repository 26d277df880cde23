//! `#[deny_blocking(extra = [my::sync_fn], allow = [std::fs::read])]`.

use proc_macro2::TokenStream;
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Ident, Path, Token, bracketed};

use crate::catalogue::CATALOGUE;

/// What the check flags beyond (`extra`) or short of (`allow`) the catalogue.
///
/// ```
/// use taskgroup_blocking::CheckOptions;
///
/// let opts = CheckOptions::parse(quote::quote!(allow = [std::fs])).unwrap();
/// assert!(opts.allows("std::fs::read"));
/// assert!(!opts.allows("std::thread::sleep"));
/// ```
#[derive(Clone, Debug, Default)]
pub struct CheckOptions {
    /// User functions that block, as path segments (`my::sync_fn`).
    pub extra: Vec<Vec<String>>,
    /// Catalogue paths (or prefixes of them, like `std::fs`) not to flag.
    pub allow: Vec<String>,
    /// The crate's own fns the whole-crate check neither checks nor follows
    /// calls into, as if each were marked `#[allow_blocking]`: paths from the
    /// crate root without `crate::` (`["storage", "Storage", "open"]`), or
    /// prefixes of them (a module, a type). `Cargo.toml`'s `allow` fills it
    /// from its `crate::` entries; one fn may block on a path its callers
    /// never take, which only its author knows.
    pub allow_own: Vec<Vec<String>>,
}

const USAGE: &str = "expected `extra = [path, ..]` or `allow = [path, ..]`, \
                     e.g. `#[deny_blocking(extra = [my::sync_fn], allow = [std::fs::read])]`";

impl CheckOptions {
    /// Parses the attribute arguments of `#[deny_blocking(..)]`; an unknown
    /// key, a malformed list or an `allow` path outside the catalogue is an
    /// error spanning the offending tokens.
    ///
    /// ```
    /// use taskgroup_blocking::CheckOptions;
    ///
    /// assert!(CheckOptions::parse(quote::quote!(extra = [legacy::load])).is_ok());
    /// let err = CheckOptions::parse(quote::quote!(extras = [x])).unwrap_err();
    /// assert!(err.to_string().starts_with("unknown option `extras`"));
    /// ```
    pub fn parse(attr: TokenStream) -> syn::Result<Self> {
        let mut opts = CheckOptions::default();
        let parser = |input: ParseStream| {
            while !input.is_empty() {
                let key: Ident = input
                    .parse()
                    .map_err(|e| syn::Error::new(e.span(), USAGE))?;
                opts.parse_option(&key, input)?;
                if !input.is_empty() {
                    input.parse::<Token![,]>()?;
                }
            }
            Ok(())
        };
        parser.parse2(attr)?;
        Ok(opts)
    }

    /// Whether `key` names an option this type parses; lets `gather!` and
    /// `#[task_group]` accept `extra`/`allow` among their own options.
    ///
    /// ```
    /// use taskgroup_blocking::CheckOptions;
    ///
    /// assert!(CheckOptions::is_option(&syn::parse_quote!(allow)));
    /// assert!(!CheckOptions::is_option(&syn::parse_quote!(limit)));
    /// ```
    pub fn is_option(key: &Ident) -> bool {
        key == "extra" || key == "allow"
    }

    /// Parses `= [path, ..]` after `key` and records it: the hook for a
    /// macro that reads its own options and hands these two over.
    ///
    /// ```
    /// use syn::parse::Parser;
    /// use taskgroup_blocking::CheckOptions;
    ///
    /// let mut opts = CheckOptions::default();
    /// let parser = |input: syn::parse::ParseStream| {
    ///     let key: syn::Ident = input.parse()?;
    ///     opts.parse_option(&key, input)
    /// };
    /// parser.parse2(quote::quote!(allow = [std::thread::sleep])).unwrap();
    /// assert!(opts.allows("std::thread::sleep"));
    /// ```
    pub fn parse_option(&mut self, key: &Ident, input: ParseStream) -> syn::Result<()> {
        if !Self::is_option(key) {
            return Err(syn::Error::new(
                key.span(),
                format!("unknown option `{key}`; {USAGE}"),
            ));
        }
        let example = if key == "extra" {
            "my::sync_fn"
        } else {
            "std::fs::read"
        };
        input.parse::<Token![=]>().map_err(|e| {
            syn::Error::new(e.span(), format!("expected `{key} = [{example}, ..]`"))
        })?;
        if !input.peek(syn::token::Bracket) {
            return Err(syn::Error::new(
                input.span(),
                format!("expected a bracketed list of paths: `{key} = [{example}, ..]`"),
            ));
        }
        let content;
        let _ = bracketed!(content in input);
        let paths = Punctuated::<Path, Token![,]>::parse_terminated(&content).map_err(|e| {
            syn::Error::new(
                e.span(),
                format!("expected a list of paths, e.g. `{key} = [{example}]`"),
            )
        })?;
        for path in paths {
            let segs: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
            if key == "extra" {
                self.extra.push(segs);
            } else {
                let joined = segs.join("::");
                let known = CATALOGUE
                    .iter()
                    .any(|e| e.path == joined || e.path.starts_with(&format!("{joined}::")));
                if !known {
                    return Err(syn::Error::new_spanned(
                        &path,
                        format!(
                            "`{joined}` is not in the blocking catalogue, so there is nothing to allow; \
                             write a catalogue path such as `std::fs::read` (see BLOCKING_CATALOGUE.md)"
                        ),
                    ));
                }
                self.allow.push(joined);
            }
        }
        Ok(())
    }

    /// Whether a finding shown as `path` is allowed by the user: `allow`
    /// lists full paths or their module prefixes.
    ///
    /// ```
    /// use taskgroup_blocking::CheckOptions;
    ///
    /// let opts = CheckOptions::parse(quote::quote!(allow = [std::fs])).unwrap();
    /// assert!(opts.allows("std::fs::write"));
    /// assert!(!opts.allows("std::fsx::write"));
    /// ```
    pub fn allows(&self, path: &str) -> bool {
        self.allow.iter().any(|a| {
            path == a
                || path
                    .strip_prefix(a.as_str())
                    .is_some_and(|r| r.starts_with("::"))
        })
    }

    /// Whether the crate's fn at `path` (segments from the crate root, a
    /// method's type before its name) is in `allow_own`, itself or by a
    /// prefix.
    ///
    /// ```
    /// use taskgroup_blocking::CheckOptions;
    ///
    /// let opts = CheckOptions {
    ///     allow_own: vec![vec!["storage".into(), "Storage".into()]],
    ///     ..CheckOptions::default()
    /// };
    /// assert!(opts.allows_own(&["storage".into(), "Storage".into(), "open".into()]));
    /// assert!(!opts.allows_own(&["storage".into(), "load".into()]));
    /// ```
    pub fn allows_own(&self, path: &[String]) -> bool {
        self.allow_own.iter().any(|a| path.starts_with(a))
    }

    /// The `extra` entry a call matches: exactly by resolved path, or, when
    /// nothing resolved it, by the written path being a suffix of the entry.
    pub(crate) fn extra_match(&self, resolved: &[String], written_suffix: bool) -> Option<String> {
        self.extra
            .iter()
            .find(|e| {
                e.as_slice() == resolved
                    || (written_suffix && !resolved.is_empty() && e.ends_with(resolved))
            })
            .map(|e| e.join("::"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn parses_extra_and_allow() {
        let o = CheckOptions::parse(quote!(
            extra = [my::sync_fn, legacy::load],
            allow = [std::fs]
        ))
        .unwrap();
        assert_eq!(o.extra.len(), 2);
        assert!(o.allows("std::fs::read"));
        assert!(!o.allows("std::fsx::read"));
    }

    #[test]
    fn rejects_bad_options_with_guidance() {
        for bad in [
            quote!(extras = [a]),
            quote!(extra[a]),
            quote!(extra = a),
            quote!(allow = [std::fs::nope]),
            quote!(extra = [1]),
            quote!("x"),
        ] {
            let err = CheckOptions::parse(bad.clone()).unwrap_err().to_string();
            assert!(
                err.contains("expected") || err.contains("catalogue"),
                "{bad}: {err}"
            );
        }
    }
}
