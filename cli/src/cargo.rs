//! What cargo says about the crate: its packages, their targets' root
//! files, and each package's `[package.metadata.taskgroup.blocking]`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use cargo_metadata::{MetadataCommand, TargetKind};
use taskgroup_blocking::CheckOptions;
use taskgroup_blocking::krate::{CrateSource, Finding, check_crate_reporting};

use crate::Fatal;

/// The packages to check: the manifest's own, or every member of a
/// virtual workspace.
pub(crate) struct Workspace {
    /// Paths in reports are relative to this.
    pub(crate) root: PathBuf,
    packages: Vec<Package>,
}

struct Package {
    /// Root files of the lib, bins, examples, tests and benches.
    targets: Vec<PathBuf>,
    options: CheckOptions,
    /// Its `Cargo.toml`, named in warnings about its settings.
    manifest: PathBuf,
}

/// The findings of every target, and what was read.
pub(crate) struct Report {
    pub(crate) findings: Vec<Finding>,
    pub(crate) warnings: Vec<String>,
    /// Every file read, by path: the human format shows its lines.
    pub(crate) sources: HashMap<PathBuf, String>,
}

const CHECKED: &[TargetKind] = &[
    TargetKind::Lib,
    TargetKind::RLib,
    TargetKind::ProcMacro,
    TargetKind::Bin,
    TargetKind::Example,
    TargetKind::Test,
    TargetKind::Bench,
];

impl Workspace {
    /// Reads the packages to check as cargo chooses them: the package
    /// whose manifest is `manifest_path` (or the nearest `Cargo.toml` above
    /// the current directory), every member when that manifest is a virtual
    /// workspace's, or every member with `whole_workspace`.
    pub(crate) fn read(manifest_path: Option<&Path>, whole_workspace: bool) -> Result<Self, Fatal> {
        let mut command = MetadataCommand::new();
        command.no_deps();
        if let Some(path) = manifest_path {
            command.manifest_path(path);
        }
        let metadata = command.exec().map_err(|e| {
            Fatal(format!(
                "cannot read the crate's metadata with `cargo metadata`: {e}"
            ))
        })?;
        let members = metadata.workspace_packages();
        // Not `Metadata::root_package`: without dependencies resolved it
        // answers the workspace root's package, even for a member's manifest.
        let manifest = manifest_path
            .map(Path::to_path_buf)
            .or_else(nearest_manifest);
        let own = manifest.as_deref().and_then(|manifest| {
            let manifest = canonical(manifest);
            members
                .iter()
                .find(|p| canonical(p.manifest_path.as_std_path()) == manifest)
                .copied()
        });
        let chosen = match own {
            Some(package) if !whole_workspace => vec![package],
            _ => members,
        };
        let mut packages = Vec::new();
        for package in chosen {
            let targets = package
                .targets
                .iter()
                .filter(|t| t.kind.iter().any(|k| CHECKED.contains(k)))
                .map(|t| t.src_path.clone().into_std_path_buf())
                .collect();
            let options = options_of(&package.metadata).map_err(|e| {
                Fatal(format!(
                    "{}: [package.metadata.taskgroup.blocking]: {e}",
                    package.manifest_path
                ))
            })?;
            packages.push(Package {
                targets,
                options,
                manifest: package.manifest_path.clone().into_std_path_buf(),
            });
        }
        Ok(Workspace {
            root: metadata.workspace_root.into_std_path_buf(),
            packages,
        })
    }

    pub(crate) fn check(&self) -> Result<Report, Fatal> {
        let mut report = Report {
            findings: Vec::new(),
            warnings: Vec::new(),
            sources: HashMap::new(),
        };
        for package in &self.packages {
            // The crate-own `allow` entries no target of the package has.
            let mut unmatched: Option<Vec<String>> = None;
            for target in &package.targets {
                let source = CrateSource::load(target).map_err(|e| Fatal(e.to_string()))?;
                let checked = check_crate_reporting(&source, &package.options);
                report.findings.extend(checked.findings);
                let here = checked.unmatched_own_allows;
                unmatched = Some(match unmatched {
                    None => here,
                    Some(before) => before.into_iter().filter(|e| here.contains(e)).collect(),
                });
                report.warnings.extend(source.warnings().iter().cloned());
                for file in source.files() {
                    report
                        .sources
                        .entry(file.path.clone())
                        .or_insert_with(|| file.text.clone());
                }
            }
            for entry in unmatched.unwrap_or_default() {
                report.warnings.push(format!(
                    "{}: [package.metadata.taskgroup.blocking]: `{entry}` in `allow` names none of \
                     the package's fns, so it allows nothing (a module, a type or a fn, as \
                     `crate::storage::Storage::open`)",
                    package.manifest.display()
                ));
            }
        }
        // A file in two targets (a module shared by `#[path]`) is reported once.
        report
            .findings
            .sort_by(|a, b| (&a.location, &a.message).cmp(&(&b.location, &b.message)));
        report.findings.dedup();
        report.warnings.sort();
        report.warnings.dedup();
        Ok(report)
    }
}

/// The `Cargo.toml` cargo reads when given none: the nearest one at or
/// above the current directory.
fn nearest_manifest() -> Option<PathBuf> {
    let dir = std::env::current_dir().ok()?;
    dir.ancestors()
        .map(|d| d.join("Cargo.toml"))
        .find(|p| p.is_file())
}

/// `path` with symlinks and `..` resolved, so two spellings compare equal.
fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The check's options from a package's `metadata` table: `extra` and
/// `allow`, lists of paths, checked as `#[deny_blocking(..)]` checks them.
fn options_of(metadata: &serde_json::Value) -> Result<CheckOptions, String> {
    let Some(config) = metadata.get("taskgroup").and_then(|t| t.get("blocking")) else {
        return Ok(CheckOptions::default());
    };
    let table = config
        .as_object()
        .ok_or("expected a table with `extra` and `allow` lists")?;
    let mut args = Vec::new();
    let mut own = Vec::new();
    for (key, value) in table {
        if key != "extra" && key != "allow" {
            return Err(format!("unknown key `{key}`; expected `extra` or `allow`"));
        }
        let list = value.as_array().ok_or_else(|| {
            format!("`{key}` must be a list of paths, e.g. {key} = [\"std::fs::read\"]")
        })?;
        let mut paths = Vec::new();
        for path in list {
            let path = path.as_str().ok_or_else(|| {
                format!("`{key}` must list paths as strings, e.g. {key} = [\"std::fs::read\"]")
            })?;
            let Ok(parsed) = syn::parse_str::<syn::Path>(path) else {
                return Err(format!(
                    "`{path}` in `{key}` is not a path such as `std::fs::read`"
                ));
            };
            // `allow = ["crate::.."]`: one of the crate's own fns (or a
            // module or type of them), not followed into.
            let segments: Vec<String> = parsed
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            if key == "allow" && segments.len() > 1 && segments[0] == "crate" {
                own.push(segments[1..].to_vec());
                continue;
            }
            paths.push(path.to_string());
        }
        args.push(format!("{key} = [{}]", paths.join(", ")));
    }
    let tokens: proc_macro2::TokenStream = args
        .join(", ")
        .parse()
        .map_err(|e| format!("cannot read the lists: {e}"))?;
    let mut options = CheckOptions::parse(tokens).map_err(|e| {
        let e = e.to_string();
        match e.contains("is not in the blocking catalogue") {
            // The attribute's message, plus what only this config can say.
            true => format!(
                "{e}; or, for one of the crate's own fns that blocks only on a path its \
                 async callers never take, its path from the crate root: `crate::storage::load`"
            ),
            false => e,
        }
    })?;
    options.allow_own = own;
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_extra_and_allow() {
        let opts = options_of(&json!({"taskgroup": {"blocking": {
            "extra": ["legacy::load"], "allow": ["std::fs"]
        }}}))
        .unwrap_or_default();
        assert_eq!(
            opts.extra,
            vec![vec!["legacy".to_string(), "load".to_string()]]
        );
        assert_eq!(opts.allow, vec!["std::fs".to_string()]);
        assert!(options_of(&json!(null)).is_ok_and(|o| o.extra.is_empty() && o.allow.is_empty()));
    }

    #[test]
    fn says_what_is_wrong_with_the_config() {
        let err =
            |v: serde_json::Value| options_of(&json!({"taskgroup": {"blocking": v}})).unwrap_err();
        assert_eq!(
            err(json!({"deny": []})),
            "unknown key `deny`; expected `extra` or `allow`"
        );
        assert!(err(json!({"allow": "std::fs"})).starts_with("`allow` must be a list of paths"));
        assert!(err(json!({"extra": [1]})).starts_with("`extra` must list paths as strings"));
        assert!(err(json!({"extra": ["a b"]})).starts_with("`a b` in `extra` is not a path"));
        assert!(err(json!({"allow": ["std::nope"]})).contains("is not in the blocking catalogue"));
        assert!(
            err(json!({"allow": ["storage::load"]}))
                .ends_with("its path from the crate root: `crate::storage::load`")
        );
    }

    #[test]
    fn crate_paths_in_allow_name_the_crates_own_fns() {
        let opts = options_of(&json!({"taskgroup": {"blocking": {
            "allow": ["crate::storage::Storage::from_config", "std::fs", "crate::legacy"]
        }}}))
        .unwrap();
        assert_eq!(opts.allow, vec!["std::fs".to_string()]);
        assert_eq!(
            opts.allow_own,
            vec![
                vec![
                    "storage".to_string(),
                    "Storage".to_string(),
                    "from_config".to_string()
                ],
                vec!["legacy".to_string()],
            ]
        );
    }
}
