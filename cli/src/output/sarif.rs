//! SARIF 2.1.0: one run, one rule per finding kind; each result's primary
//! location is the call in async code, and a chain's calls are its related
//! locations and its code flow.

use std::path::Path;

use serde_json::{Value, json};
use taskgroup_blocking::krate::{Finding, FindingKind, Location};

use super::shown_path;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub(super) fn log(findings: &[Finding], root: &Path) -> Value {
    let rules = [FindingKind::BlockingCall, FindingKind::LockAcrossAwait];
    let results: Vec<Value> = findings.iter().map(|f| result(f, root, &rules)).collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": env!("CARGO_PKG_NAME"),
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "rules": rules.iter().map(|k| rule(*k)).collect::<Vec<_>>(),
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

fn rule(kind: FindingKind) -> Value {
    let (short, full) = match kind {
        FindingKind::BlockingCall => (
            "Blocking call in async code",
            "A call that blocks the thread (directly, or through the crate's own sync fns) \
             made from an async fn, async block or async closure: it stalls every task on \
             that executor thread.",
        ),
        FindingKind::LockAcrossAwait => (
            "Lock guard held across an await",
            "A std or parking_lot lock guard alive across an `.await`: while the task sleeps, \
             every other task that wants the lock blocks its executor thread.",
        ),
    };
    json!({
        "id": kind.id(),
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        "defaultConfiguration": {"level": "error"},
    })
}

fn physical(l: &Location, root: &Path) -> Value {
    json!({
        "artifactLocation": {"uri": shown_path(&l.file, root), "uriBaseId": "%SRCROOT%"},
        "region": {
            "startLine": l.line,
            "startColumn": l.column,
            "endLine": l.end_line,
            "endColumn": l.end_column,
        },
    })
}

fn result(f: &Finding, root: &Path, rules: &[FindingKind]) -> Value {
    let mut value = json!({
        "ruleId": f.kind.id(),
        "ruleIndex": rules.iter().position(|k| *k == f.kind).unwrap_or(0),
        "level": "error",
        "message": {"text": f.message},
        "locations": [{"physicalLocation": physical(&f.location, root)}],
    });
    if f.chain.is_empty() {
        return value;
    }
    let step_message = |i: usize| {
        let caller = if i == 0 {
            &f.function
        } else {
            &f.chain[i - 1].name
        };
        format!("`{caller}` calls `{}`", f.chain[i].name)
    };
    let related: Vec<Value> = f
        .chain
        .iter()
        .enumerate()
        .map(|(i, s)| {
            json!({
                "id": i,
                "physicalLocation": physical(&s.location, root),
                "message": {"text": step_message(i)},
            })
        })
        .collect();
    let flow: Vec<Value> = f
        .chain
        .iter()
        .enumerate()
        .map(|(i, s)| {
            json!({
                "location": {
                    "physicalLocation": physical(&s.location, root),
                    "message": {"text": step_message(i)},
                },
                "nestingLevel": i,
            })
        })
        .collect();
    value["relatedLocations"] = Value::Array(related);
    value["codeFlows"] = json!([{
        "message": {"text": f.chain_text()},
        "threadFlows": [{"locations": flow}],
    }]);
    value
}
