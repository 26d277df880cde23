//! Recall and false-positive rate over the corpus in `tests/blocking/`.
//!
//! Every file under `reject/` must yield at least one finding and every file
//! under `accept/` none. The same files also go through trybuild in the
//! `tests` crate, which checks what the compiler shows.
//!
//! `crate_reject/` and `crate_accept/` hold shapes only the whole-crate check
//! sees (no annotation, the crate's own helpers, lock guards): each file is
//! a crate root (a folder beside it may hold its other files). Only the
//! whole-crate metric counts them; trybuild does not compile them.

use std::path::{Path, PathBuf};

use crate::{CheckOptions, Checker, FileView};

fn corpus_dir(kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/blocking")
        .join(kind)
}

fn case_files(kind: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus_dir(kind))
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "rs"));
    files.sort();
    files
}

/// Runs the check on every `#[deny_blocking]` item of a corpus file, as the
/// attribute would: the attribute's arguments become the options.
pub(super) fn findings_in_file(path: &Path) -> Vec<String> {
    let src = std::fs::read_to_string(path).unwrap_or_default();
    let Ok(file) = syn::parse_file(&src) else {
        return vec![format!("{} does not parse", path.display())];
    };
    let mut found = Vec::new();
    check_annotated_items(&FileView::of(&file), &file.items, &mut found);
    found
}

/// Checks the `#[deny_blocking]` items among `items`, and within the inline
/// modules there, in source order.
fn check_annotated_items(view: &FileView, items: &[syn::Item], found: &mut Vec<String>) {
    for item in items {
        let mut item = item.clone();
        let Some(attrs) = item_attrs_mut(&mut item) else {
            continue;
        };
        let Some(pos) = attrs
            .iter()
            .position(|a| a.path().is_ident("deny_blocking"))
        else {
            if let syn::Item::Mod(m) = &item
                && let Some((_, inner)) = &m.content
            {
                check_annotated_items(view, inner, found);
            }
            continue;
        };
        let attr = attrs.remove(pos);
        let args = match attr.meta {
            syn::Meta::List(list) => list.tokens,
            _ => proc_macro2::TokenStream::new(),
        };
        let opts = match CheckOptions::parse(args) {
            Ok(o) => o,
            Err(e) => {
                found.push(e.to_string());
                continue;
            }
        };
        // As the attribute does: the file around the item is in view.
        let mut checker = Checker::new(&opts);
        checker.check_annotated(&item, view.locate(&item).as_ref());
        found.extend(checker.findings().iter().map(ToString::to_string));
    }
}

fn item_attrs_mut(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    match item {
        syn::Item::Fn(i) => Some(&mut i.attrs),
        syn::Item::Impl(i) => Some(&mut i.attrs),
        syn::Item::Mod(i) => Some(&mut i.attrs),
        syn::Item::Trait(i) => Some(&mut i.attrs),
        _ => None,
    }
}

/// Prints recall and false-positive rate of `check` over the corpus (with
/// the whole-crate-only cases when `whole_crate`), and fails unless every
/// must-reject case is flagged and no must-accept one.
fn assert_perfect_metric(front_end: &str, check: fn(&Path) -> Vec<String>, whole_crate: bool) {
    let mut reject = case_files("reject");
    let mut accept = case_files("accept");
    let (crate_reject, crate_accept) = match whole_crate {
        true => (case_files("crate_reject"), case_files("crate_accept")),
        false => (Vec::new(), Vec::new()),
    };
    let crate_only = match whole_crate {
        true => format!(
            "; of these, whole-crate-only: {} must-reject, {} must-accept",
            crate_reject.len(),
            crate_accept.len()
        ),
        false => String::new(),
    };
    reject.extend(crate_reject);
    accept.extend(crate_accept);
    let missed: Vec<_> = reject.iter().filter(|p| check(p).is_empty()).collect();
    let flagged: Vec<_> = accept
        .iter()
        .map(|p| (p, check(p)))
        .filter(|(_, f)| !f.is_empty())
        .collect();
    let recall = 100.0 * (reject.len() - missed.len()) as f64 / reject.len().max(1) as f64;
    let fp_rate = 100.0 * flagged.len() as f64 / accept.len().max(1) as f64;
    println!(
        "blocking corpus, {front_end}: recall {recall:.1}% ({}/{} must-reject cases flagged), \
         false-positive rate {fp_rate:.1}% ({}/{} must-accept cases flagged){crate_only}",
        reject.len() - missed.len(),
        reject.len(),
        flagged.len(),
        accept.len()
    );
    assert!(reject.len() >= 80 && accept.len() >= 80, "corpus too small");
    assert!(missed.is_empty(), "missed: {missed:#?}");
    assert!(flagged.is_empty(), "false positives: {flagged:#?}");
}

#[test]
fn corpus_recall_and_false_positive_rate() {
    // The compiler's view (trybuild snapshots) must agree with this harness.
    for path in &case_files("reject") {
        let Ok(stderr) = std::fs::read_to_string(path.with_extension("stderr")) else {
            continue;
        };
        let shown = stderr.lines().filter(|l| l.starts_with("error")).count();
        let found = findings_in_file(path).len();
        assert_eq!(
            shown,
            found,
            "{}: snapshot shows {shown} errors, the check finds {found}",
            path.display()
        );
    }
    assert_perfect_metric("#[deny_blocking]", findings_in_file, false);
}

/// The whole-crate check (`cargo taskgroup check`'s library entry) on a
/// corpus file taken as a one-file crate: every async fn is checked, with
/// each `#[deny_blocking(..)]`'s arguments where it is written.
fn crate_findings_in_file(path: &Path) -> Vec<String> {
    match crate::krate::CrateSource::load(path) {
        Ok(source) => crate::krate::check_crate(&source, &CheckOptions::default())
            .into_iter()
            .map(|f| f.message)
            .collect(),
        Err(e) => vec![e.to_string()],
    }
}

#[test]
fn corpus_recall_and_false_positive_rate_of_the_whole_crate_check() {
    assert!(
        case_files("crate_reject").len() >= 8 && case_files("crate_accept").len() >= 8,
        "whole-crate-only corpus missing"
    );
    assert_perfect_metric("cargo taskgroup check", crate_findings_in_file, true);
}
