//! The whole-crate check behind `cargo taskgroup check`: every async fn,
//! async block and async closure of a crate target, no annotation needed,
//! with calls followed into the crate's own sync fns.
//!
//! [`CrateSource::load`] reads a target's module tree from its root file;
//! [`check_crate`] checks it with the same checker and catalogue as
//! `#[deny_blocking]`, and returns [`Finding`]s with file, line and column.
//! A call from async code to a sync fn of the crate that blocks (itself or
//! through the fns it calls) is reported at the call, with the chain of
//! calls down to the blocking one.
//!
//! ```
//! use std::collections::HashMap;
//! use std::path::{Path, PathBuf};
//! use taskgroup_blocking::CheckOptions;
//! use taskgroup_blocking::krate::{CrateSource, check_crate};
//!
//! let files = HashMap::from([
//!     (PathBuf::from("src/lib.rs"), "mod config;\nasync fn handler() { config::load(); }\n"),
//!     (PathBuf::from("src/config.rs"), "pub fn load() -> String { std::fs::read_to_string(\"a\").unwrap() }\n"),
//! ]);
//! let read = |p: &Path| files.get(p).map(|s| s.to_string()).ok_or(std::io::ErrorKind::NotFound.into());
//! let source = CrateSource::load_with(Path::new("src/lib.rs"), &read).unwrap();
//! let findings = check_crate(&source, &CheckOptions::default());
//! assert_eq!(findings.len(), 1);
//! assert_eq!(findings[0].chain_text(), "handler -> config::load -> std::fs::read_to_string");
//! assert_eq!((findings[0].location.line, findings[0].location.column), (2, 22));
//! ```

mod graph;
mod imports;
mod paths;
mod tree;

#[cfg(test)]
mod tests;

use std::fmt;
use std::path::{Path, PathBuf};

use crate::catalogue::CATALOGUE;
use crate::check::Hit;
use crate::options::CheckOptions;
use graph::{Index, Reason};
use tree::{Loader, Module};

/// One source file of a crate target, as read.
///
/// ```
/// # use std::path::Path;
/// let read = |_: &Path| Ok("async fn f() {}".to_string());
/// let source = taskgroup_blocking::krate::CrateSource::load_with(Path::new("lib.rs"), &read).unwrap();
/// assert_eq!(source.files()[0].text, "async fn f() {}");
/// ```
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Its path, as the module tree reached it.
    pub path: PathBuf,
    /// Its text.
    pub text: String,
}

/// A file that could not be read or parsed.
///
/// ```
/// # use std::path::Path;
/// let read = |_: &Path| Ok("async fn f( {".to_string());
/// let err = taskgroup_blocking::krate::CrateSource::load_with(Path::new("lib.rs"), &read).unwrap_err();
/// assert_eq!(err.file, Path::new("lib.rs"));
/// assert!(err.to_string().starts_with("lib.rs:1:"));
/// ```
#[derive(Clone, Debug)]
pub struct LoadError {
    /// The file at fault.
    pub file: PathBuf,
    /// Where in it (1-based; 0 when the file could not be read).
    pub line: usize,
    /// The column (1-based; 0 when the file could not be read).
    pub column: usize,
    /// What went wrong.
    pub message: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.column)?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for LoadError {}

/// A crate target's module tree: its files and modules, every `cfg` branch.
///
/// ```no_run
/// use taskgroup_blocking::krate::CrateSource;
///
/// let source = CrateSource::load(std::path::Path::new("src/lib.rs"))?;
/// println!("{} files", source.files().len());
/// # Ok::<(), taskgroup_blocking::krate::LoadError>(())
/// ```
#[derive(Debug)]
pub struct CrateSource {
    files: Vec<SourceFile>,
    modules: Vec<Module>,
    warnings: Vec<String>,
}

impl CrateSource {
    /// Loads the target whose root file is `root` from the file system.
    ///
    /// ```no_run
    /// let source = taskgroup_blocking::krate::CrateSource::load(std::path::Path::new("src/main.rs"));
    /// ```
    pub fn load(root: &Path) -> Result<Self, LoadError> {
        Self::load_with(root, &|p: &Path| std::fs::read_to_string(p))
    }

    /// Loads the target whose root file is `root`, reading files with `read`.
    ///
    /// ```
    /// # use std::path::Path;
    /// let read = |p: &Path| match p.to_str() {
    ///     Some("src/lib.rs") => Ok("mod a;".to_string()),
    ///     Some("src/a.rs") => Ok("pub fn f() {}".to_string()),
    ///     _ => Err(std::io::ErrorKind::NotFound.into()),
    /// };
    /// let source = taskgroup_blocking::krate::CrateSource::load_with(Path::new("src/lib.rs"), &read).unwrap();
    /// assert_eq!(source.files().len(), 2);
    /// ```
    pub fn load_with(
        root: &Path,
        read: &dyn Fn(&Path) -> std::io::Result<String>,
    ) -> Result<Self, LoadError> {
        let mut loader = Loader::new(read);
        loader.load_root(root)?;
        let mut modules = loader.modules;
        imports::flatten(&mut modules);
        Ok(CrateSource {
            files: loader.files,
            modules,
            warnings: loader.warnings,
        })
    }

    /// The files read, the root first.
    ///
    /// ```
    /// # use std::path::Path;
    /// let read = |_: &Path| Ok(String::new());
    /// let source = taskgroup_blocking::krate::CrateSource::load_with(Path::new("main.rs"), &read).unwrap();
    /// assert_eq!(source.files()[0].path, Path::new("main.rs"));
    /// ```
    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }

    /// What was not checked and why (a `mod x;` with no file).
    ///
    /// ```
    /// # use std::path::Path;
    /// let read = |p: &Path| if p == Path::new("lib.rs") { Ok("mod gone;".to_string()) } else { Err(std::io::ErrorKind::NotFound.into()) };
    /// let source = taskgroup_blocking::krate::CrateSource::load_with(Path::new("lib.rs"), &read).unwrap();
    /// assert!(source.warnings()[0].contains("no file for `mod gone;`"));
    /// ```
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }
}

/// Where something is: a file and a range in it (lines 1-based, columns
/// 1-based in characters, the end exclusive).
///
/// ```
/// let at = taskgroup_blocking::krate::Location { file: "src/lib.rs".into(), line: 3, column: 5, end_line: 3, end_column: 9 };
/// assert_eq!(at.to_string(), "src/lib.rs:3:5");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// The file.
    pub file: PathBuf,
    /// First line.
    pub line: usize,
    /// First column.
    pub column: usize,
    /// Last line.
    pub end_line: usize,
    /// Column just past the end.
    pub end_column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

/// One step of a chain of calls: the fn or blocking path called, and the
/// call.
///
/// ```
/// let step = taskgroup_blocking::krate::Step {
///     name: "load_config".into(),
///     location: taskgroup_blocking::krate::Location { file: "src/lib.rs".into(), line: 1, column: 1, end_line: 1, end_column: 2 },
/// };
/// assert_eq!(step.name, "load_config");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// What is called: a crate fn (`config::load`, `Store::open`) or, last,
    /// the blocking path (`std::fs::read`).
    pub name: String,
    /// The call.
    pub location: Location,
}

/// The kinds of finding.
///
/// ```
/// assert_eq!(taskgroup_blocking::krate::FindingKind::BlockingCall.id(), "blocking-call");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FindingKind {
    /// A blocking call in async code, or a call to a crate fn that blocks.
    BlockingCall,
    /// A lock guard (from a sync `lock()`, `read()` or `write()`) alive
    /// across an `.await`.
    LockAcrossAwait,
}

impl FindingKind {
    /// A stable identifier: the rule id in JSON and SARIF output.
    ///
    /// ```
    /// assert_eq!(taskgroup_blocking::krate::FindingKind::BlockingCall.id(), "blocking-call");
    /// ```
    pub fn id(self) -> &'static str {
        match self {
            FindingKind::BlockingCall => "blocking-call",
            FindingKind::LockAcrossAwait => "lock-across-await",
        }
    }
}

/// One finding of [`check_crate`].
///
/// ```
/// # use std::path::Path;
/// use taskgroup_blocking::{CheckOptions, krate::{CrateSource, check_crate}};
///
/// let read = |_: &Path| Ok("async fn f() { std::thread::sleep(d); }".to_string());
/// let source = CrateSource::load_with(Path::new("lib.rs"), &read).unwrap();
/// let found = &check_crate(&source, &CheckOptions::default())[0];
/// assert_eq!(found.blocking, "std::thread::sleep");
/// assert_eq!(found.entry.as_deref(), Some("std::thread::sleep"));
/// assert_eq!(found.function, "f");
/// assert!(found.chain.is_empty());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// What kind of problem.
    pub kind: FindingKind,
    /// The call in async code.
    pub location: Location,
    /// The fn whose async code holds the call (`Store::serve`).
    pub function: String,
    /// The blocking path at the end (`std::fs::read`), or for a lock guard
    /// the lock method (`.lock()`).
    pub blocking: String,
    /// The catalogue entry matched (`None` for a path the user's `extra` lists).
    pub entry: Option<String>,
    /// What is wrong and what to write instead.
    pub message: String,
    /// For a call to a crate fn that blocks: each call from there down to
    /// the blocking one. Empty for a blocking call made directly.
    pub chain: Vec<Step>,
}

impl Finding {
    /// The chain as text: `handler -> load_config -> std::fs::read_to_string`
    /// (just the fn and the blocking path for a direct call).
    ///
    /// ```
    /// # use std::path::Path;
    /// use taskgroup_blocking::{CheckOptions, krate::{CrateSource, check_crate}};
    ///
    /// let read = |_: &Path| Ok("async fn f() { std::thread::sleep(d); }".to_string());
    /// let source = CrateSource::load_with(Path::new("lib.rs"), &read).unwrap();
    /// assert_eq!(check_crate(&source, &CheckOptions::default())[0].chain_text(), "f -> std::thread::sleep");
    /// ```
    pub fn chain_text(&self) -> String {
        let mut parts = vec![self.function.clone()];
        if self.chain.is_empty() {
            parts.push(self.blocking.clone());
        }
        parts.extend(self.chain.iter().map(|s| s.name.clone()));
        parts.join(" -> ")
    }
}

/// Checks every async fn, async block and async closure of the crate, and
/// every call from them into the crate's sync fns, with `opts` (from
/// `[package.metadata.taskgroup.blocking]`) and any `#[deny_blocking(..)]`
/// arguments on the way. Findings come sorted by file and position.
///
/// ```
/// # use std::path::Path;
/// use taskgroup_blocking::{CheckOptions, krate::{CrateSource, check_crate}};
///
/// let read = |_: &Path| Ok("async fn f() { tokio::task::spawn_blocking(|| std::thread::sleep(d)); }".to_string());
/// let source = CrateSource::load_with(Path::new("lib.rs"), &read).unwrap();
/// assert!(check_crate(&source, &CheckOptions::default()).is_empty());
/// ```
pub fn check_crate(source: &CrateSource, opts: &CheckOptions) -> Vec<Finding> {
    check_crate_reporting(source, opts).findings
}

/// What [`check_crate_reporting`] finds in one crate.
#[derive(Debug)]
pub struct CrateCheck {
    /// As [`check_crate`] returns them.
    pub findings: Vec<Finding>,
    /// The entries of `opts.allow_own` that name none of this crate's fns
    /// (written `crate::a::b`): a misspelt path would otherwise silence
    /// nothing without a word. A package's targets are separate crates, so
    /// an entry is misspelt only when it names nothing in any of them.
    pub unmatched_own_allows: Vec<String>,
}

/// [`check_crate`], also saying which `allow_own` entries matched nothing,
/// from the same pass over the crate.
///
/// ```
/// # use std::path::Path;
/// use taskgroup_blocking::{CheckOptions, krate::{CrateSource, check_crate_reporting}};
///
/// let read = |_: &Path| Ok("mod storage { pub struct Storage; impl Storage { pub fn open() {} } }".to_string());
/// let source = CrateSource::load_with(Path::new("lib.rs"), &read).unwrap();
/// let opts = CheckOptions {
///     allow_own: vec![
///         vec!["storage".into(), "Storage".into(), "open".into()],
///         vec!["storage".into(), "Storag".into()],
///     ],
///     ..CheckOptions::default()
/// };
/// let checked = check_crate_reporting(&source, &opts);
/// assert!(checked.findings.is_empty());
/// assert_eq!(checked.unmatched_own_allows, ["crate::storage::Storag"]);
/// ```
pub fn check_crate_reporting(source: &CrateSource, opts: &CheckOptions) -> CrateCheck {
    let mut index = Index::of(&source.modules);
    let unmatched_own_allows = index
        .allow_own(opts)
        .into_iter()
        .map(|entry| format!("crate::{}", entry.join("::")))
        .collect();
    let view = graph::view_of(&source.modules);
    let results = graph::check_fns(&index, &view, opts);
    let reasons = graph::blocking_fns(&index, &results);
    let file_of = |fn_id: usize| {
        let module = index.fns.get(fn_id).map_or(0, |f| f.module);
        let file = source.modules.get(module).map_or(0, |m| m.file);
        source
            .files
            .get(file)
            .map(|f| f.path.as_path())
            .unwrap_or(Path::new(""))
    };
    let mut findings = Vec::new();
    for (id, (def, result)) in index.fns.iter().zip(&results).enumerate() {
        for (error, hit) in &result.direct {
            let kind = match hit.guard {
                true => FindingKind::LockAcrossAwait,
                false => FindingKind::BlockingCall,
            };
            findings.push(Finding {
                kind,
                location: error_location(file_of(id), error),
                function: def.name.clone(),
                blocking: hit.shown.clone(),
                entry: hit.entry.map(str::to_string),
                message: direct_message(hit, error),
                chain: Vec::new(),
            });
        }
        for call in &result.async_calls {
            // Of the definitions the call reaches (`cfg` twins), the first
            // that blocks.
            let blocking = index
                .callees(id, &call.target)
                .into_iter()
                .find_map(|callee| Some((callee, reasons.get(callee).copied().flatten()?)));
            let Some((callee, mut reason)) = blocking else {
                continue;
            };
            let at = span_location(file_of(id), call.span);
            let mut chain = vec![Step {
                name: index.fns[callee].name.clone(),
                location: at.clone(),
            }];
            let mut current = callee;
            let (error, hit) = loop {
                let r = &results[current];
                match reason {
                    Reason::Own(h) => break &r.blocking[h],
                    Reason::Via { call, callee } => {
                        chain.push(Step {
                            name: index.fns[callee].name.clone(),
                            location: span_location(file_of(current), r.calls[call].span),
                        });
                        current = callee;
                        match reasons[callee] {
                            Some(next) => reason = next,
                            None => break &r.blocking[0],
                        }
                    }
                }
            };
            chain.push(Step {
                name: hit.shown.clone(),
                location: error_location(file_of(current), error),
            });
            findings.push(transitive(def.name.clone(), at, chain, hit));
        }
    }
    findings.sort_by(|a, b| (&a.location, &a.message).cmp(&(&b.location, &b.message)));
    findings.dedup();
    CrateCheck {
        findings,
        unmatched_own_allows,
    }
}

fn transitive(function: String, location: Location, chain: Vec<Step>, hit: &Hit) -> Finding {
    let callee = chain.first().map(|s| s.name.clone()).unwrap_or_default();
    let entry = hit
        .entry
        .and_then(|path| CATALOGUE.iter().find(|e| e.path == path));
    let message = match entry {
        Some(e) => format!(
            "`{callee}` blocks the executor thread: it calls `{}`, which {}; call `{callee}` \
             inside `tokio::task::spawn_blocking`, or make it async and use {}",
            hit.shown, e.why, e.instead
        ),
        None => format!(
            "`{callee}` blocks the executor thread: it calls `{}`, listed as blocking in \
             `extra`; call `{callee}` inside `tokio::task::spawn_blocking`, or make it async",
            hit.shown
        ),
    };
    Finding {
        kind: FindingKind::BlockingCall,
        location,
        function,
        blocking: hit.shown.clone(),
        entry: hit.entry.map(str::to_string),
        message,
        chain,
    }
}

/// The checker's message, but for an `extra` path, which here may come
/// from Cargo.toml rather than an attribute.
fn direct_message(hit: &Hit, error: &syn::Error) -> String {
    if hit.entry.is_some() || hit.guard {
        return error.to_string();
    }
    format!(
        "`{}` is listed as blocking in `extra`; use an async alternative with `.await`, \
         or move the work into `tokio::task::spawn_blocking`",
        hit.shown
    )
}

fn error_location(file: &Path, error: &syn::Error) -> Location {
    let span = error.span();
    span_location(file, (span, span))
}

fn span_location(file: &Path, (first, last): (proc_macro2::Span, proc_macro2::Span)) -> Location {
    let (start, end) = (first.start(), last.end());
    Location {
        file: file.to_path_buf(),
        line: start.line,
        column: start.column + 1,
        end_line: end.line,
        end_column: end.column + 1,
    }
}
