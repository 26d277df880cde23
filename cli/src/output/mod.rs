//! The three report formats: rustc-like text, JSON lines, SARIF 2.1.0.

mod human;
mod sarif;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use taskgroup_blocking::krate::{Finding, Location};

/// How findings are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    /// rustc-like diagnostics with the source line and carets.
    Human,
    /// One JSON object per line per finding.
    Json,
    /// One SARIF 2.1.0 log for code-scanning dashboards.
    Sarif,
}

impl Format {
    pub(crate) fn parse(name: &str) -> Option<Self> {
        match name {
            "human" => Some(Format::Human),
            "json" => Some(Format::Json),
            "sarif" => Some(Format::Sarif),
            _ => None,
        }
    }
}

/// The report, paths relative to `root`; `sources` holds the files' text.
pub(crate) fn render(
    format: Format,
    findings: &[Finding],
    root: &Path,
    sources: &HashMap<PathBuf, String>,
) -> String {
    match format {
        Format::Human => human::render(findings, root, sources),
        Format::Json => findings
            .iter()
            .map(|f| format!("{}\n", json_of(f, root)))
            .collect(),
        Format::Sarif => {
            let mut text =
                serde_json::to_string_pretty(&sarif::log(findings, root)).unwrap_or_default();
            text.push('\n');
            text
        }
    }
}

/// A path as shown: relative to the workspace root when inside it, with
/// `/` separators on every platform.
pub(crate) fn shown_path(path: &Path, root: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn json_of(f: &Finding, root: &Path) -> Value {
    let at = |l: &Location| {
        json!({
            "file": shown_path(&l.file, root),
            "line": l.line,
            "column": l.column,
            "end_line": l.end_line,
            "end_column": l.end_column,
        })
    };
    let chain: Vec<Value> = f
        .chain
        .iter()
        .map(|s| json!({"name": s.name, "location": at(&s.location)}))
        .collect();
    json!({
        "kind": f.kind.id(),
        "file": shown_path(&f.location.file, root),
        "line": f.location.line,
        "column": f.location.column,
        "end_line": f.location.end_line,
        "end_column": f.location.end_column,
        "function": f.function,
        "blocking": f.blocking,
        "entry": f.entry,
        "chain": chain,
        "chain_text": f.chain_text(),
        "message": f.message,
    })
}
