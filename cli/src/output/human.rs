//! rustc-like text: the message, the source line with carets under the
//! call, and for a chain each further call with its own line.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use taskgroup_blocking::krate::{Finding, FindingKind, Location};

use super::shown_path;

pub(super) fn render(
    findings: &[Finding],
    root: &Path,
    sources: &HashMap<PathBuf, String>,
) -> String {
    let renderer = Renderer::plain();
    let mut out = String::new();
    for finding in findings {
        let paths: Vec<String> = std::iter::once(&finding.location)
            .chain(finding.chain.iter().skip(1).map(|s| &s.location))
            .map(|l| shown_path(&l.file, root))
            .collect();
        let source = |l: &Location| sources.get(&l.file).map(String::as_str).unwrap_or("");
        let primary_label = match (finding.chain.first(), finding.kind) {
            (Some(step), _) => format!("`{}` blocks", step.name),
            (None, FindingKind::LockAcrossAwait) => "guard held across an `.await`".to_string(),
            (None, FindingKind::BlockingCall) => "blocks the executor thread".to_string(),
        };
        let mut title = Level::ERROR
            .primary_title(finding.message.as_str())
            .id(finding.kind.id())
            .element(snippet(
                source(&finding.location),
                &paths[0],
                &finding.location,
                AnnotationKind::Primary,
                primary_label,
            ));
        for (i, step) in finding.chain.iter().enumerate().skip(1) {
            let caller = &finding.chain[i - 1].name;
            let label = format!("`{caller}` calls `{}`", step.name);
            title = title.element(snippet(
                source(&step.location),
                &paths[i],
                &step.location,
                AnnotationKind::Context,
                label,
            ));
        }
        let mut report = vec![title];
        if !finding.chain.is_empty() {
            let note = format!("call chain: {}", finding.chain_text());
            report.push(Group::with_title(Level::NOTE.secondary_title(note)));
        }
        out.push_str(&renderer.render(&report));
        out.push_str("\n\n");
    }
    let count = findings.len();
    if count > 0 {
        let plural = if count == 1 { "" } else { "s" };
        out.push_str(&format!("error: {count} finding{plural} in async code\n"));
    }
    out
}

fn snippet<'a>(
    text: &'a str,
    path: &'a str,
    at: &Location,
    kind: AnnotationKind,
    label: String,
) -> Snippet<'a, annotate_snippets::Annotation<'a>> {
    let range = byte_range(text, at);
    Snippet::source(text)
        .path(path)
        .annotation(kind.span(range).label(label))
}

/// The byte range of a location's lines and character columns in `text`.
fn byte_range(text: &str, at: &Location) -> std::ops::Range<usize> {
    let offset = |line: usize, column: usize| {
        let start: usize = text
            .split_inclusive('\n')
            .take(line.saturating_sub(1))
            .map(str::len)
            .sum();
        let rest = text.get(start..).unwrap_or("");
        let line_text = rest.split('\n').next().unwrap_or("");
        let within = line_text
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(line_text.len(), |(i, _)| i);
        start + within
    };
    let start = offset(at.line, at.column);
    let end = offset(at.end_line, at.end_column).max(start);
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_ranges_count_characters_not_bytes() {
        let text = "fn a() {}\nlet é = b(x);\n";
        let at = Location {
            file: PathBuf::new(),
            line: 2,
            column: 9,
            end_line: 2,
            end_column: 13,
        };
        assert_eq!(&text[byte_range(text, &at)], "b(x)");
    }
}
