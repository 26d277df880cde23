//! The module tree of one crate target: its root file, every `mod x;` file
//! (`x.rs`, `x/mod.rs`, a `#[path]`, or each `#[cfg_attr(.., path = "..")]`'s),
//! and inline modules, whatever their `cfg` says (every branch is checked).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use syn::Item;
use syn::ext::IdentExt;
use syn::punctuated::Punctuated;

use super::{LoadError, SourceFile};
use crate::attrs::has_allow;

/// One module: its path from the crate root and its items (inline child
/// modules emptied: each is a module of its own).
pub(crate) struct Module {
    pub(crate) path: Vec<String>,
    pub(crate) file: usize,
    pub(crate) items: Vec<Item>,
    pub(crate) parent: Option<usize>,
    /// Marked `#[allow_blocking]`, itself or an ancestor.
    pub(crate) allowed: bool,
    /// The `#[deny_blocking(..)]` arguments on the `mod` items down to here.
    pub(crate) options: Vec<proc_macro2::TokenStream>,
}

// Manual: syn's syntax trees implement Debug only with its `extra-traits`
// feature, which the checker does not otherwise need.
impl std::fmt::Debug for Module {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Module")
            .field("path", &self.path)
            .field("file", &self.file)
            .field("items", &self.items.len())
            .field("parent", &self.parent)
            .field("allowed", &self.allowed)
            .field("options", &self.options)
            .finish()
    }
}

/// Reads files for the loader: the file system, or a test's table.
pub(crate) type Reader<'r> = &'r dyn Fn(&Path) -> std::io::Result<String>;

pub(crate) struct Loader<'r> {
    read: Reader<'r>,
    pub(crate) files: Vec<SourceFile>,
    pub(crate) modules: Vec<Module>,
    pub(crate) warnings: Vec<String>,
    seen: HashSet<PathBuf>,
}

/// Where a module's `mod x;` children and `#[path]` attributes point.
struct Dirs {
    /// `#[path = ".."]` is relative to this.
    path_base: PathBuf,
    /// `mod x;` looks for `x.rs` and `x/mod.rs` here.
    children: PathBuf,
}

/// Where a module sits in the tree.
#[derive(Clone)]
struct Place {
    path: Vec<String>,
    parent: Option<usize>,
    allowed: bool,
    options: Vec<proc_macro2::TokenStream>,
}

impl<'r> Loader<'r> {
    pub(crate) fn new(read: Reader<'r>) -> Self {
        Loader {
            read,
            files: Vec::new(),
            modules: Vec::new(),
            warnings: Vec::new(),
            seen: HashSet::new(),
        }
    }

    /// Loads the crate whose root file is `root`.
    pub(crate) fn load_root(&mut self, root: &Path) -> Result<(), LoadError> {
        let place = Place {
            path: Vec::new(),
            parent: None,
            allowed: false,
            options: Vec::new(),
        };
        let text = (self.read)(root).map_err(|e| LoadError {
            file: root.to_path_buf(),
            line: 0,
            column: 0,
            message: format!("cannot read the file: {e}"),
        })?;
        self.load_file(root, text, place, true)
    }

    /// Loads `file`, already read as `text` (a `mod` file is read once:
    /// finding it is reading it). `mod_rs`: a crate root, `mod.rs` or
    /// `#[path]` file, whose children sit beside it rather than in a folder
    /// named after it.
    fn load_file(
        &mut self,
        file: &Path,
        text: String,
        place: Place,
        mod_rs: bool,
    ) -> Result<(), LoadError> {
        if !self.seen.insert(file.to_path_buf()) {
            return Ok(());
        }
        let parsed = syn::parse_file(&text).map_err(|e| {
            let at = e.span().start();
            let problem = match text.parse::<proc_macro2::TokenStream>() {
                Err(_) => lex_problem(&text, at.line, at.column).to_string(),
                Ok(_) => e.to_string(),
            };
            LoadError {
                file: file.to_path_buf(),
                line: at.line,
                column: at.column + 1,
                message: format!("cannot parse the file: {problem}"),
            }
        })?;
        let index = self.files.len();
        self.files.push(SourceFile {
            path: file.to_path_buf(),
            text,
        });
        let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
        let children = match (mod_rs, file.file_stem()) {
            (false, Some(stem)) => dir.join(stem),
            _ => dir.clone(),
        };
        let dirs = Dirs {
            path_base: dir,
            children,
        };
        self.add_module(parsed.items, index, place, &dirs)
    }

    fn add_module(
        &mut self,
        mut items: Vec<Item>,
        file: usize,
        place: Place,
        dirs: &Dirs,
    ) -> Result<(), LoadError> {
        let index = self.modules.len();
        self.modules.push(Module {
            path: place.path.clone(),
            file,
            items: Vec::new(),
            parent: place.parent,
            allowed: place.allowed,
            options: place.options.clone(),
        });
        for item in &mut items {
            let Item::Mod(m) = item else {
                continue;
            };
            let name = m.ident.to_string();
            // `mod r#impl;` lives in `impl.rs`.
            let file_name = m.ident.unraw().to_string();
            let mut child = Place {
                path: place.path.clone(),
                parent: Some(index),
                allowed: place.allowed || has_allow(&m.attrs),
                options: place.options.clone(),
            };
            child.path.push(name.clone());
            child.options.extend(deny_args(&m.attrs));
            let path_attr = path_attr(&m.attrs);
            match &mut m.content {
                Some((_, content)) => {
                    let inner = std::mem::take(content);
                    let dir = match &path_attr {
                        Some(p) => dirs.children.join(p),
                        None => dirs.children.join(&file_name),
                    };
                    let inner_dirs = Dirs {
                        path_base: dir.clone(),
                        children: dir,
                    };
                    self.add_module(inner, file, child, &inner_dirs)?;
                }
                None => {
                    // Each `#[cfg_attr(.., path = "..")]` is a branch of its own.
                    let branches = cfg_attr_paths(&m.attrs);
                    for p in &branches {
                        let path = dirs.path_base.join(p);
                        match (self.read)(&path) {
                            Ok(text) => self.load_file(&path, text, child.clone(), true)?,
                            Err(_) => self.no_file(file, &name, &path.display().to_string()),
                        }
                    }
                    let candidates = match &path_attr {
                        Some(p) => vec![(dirs.path_base.join(p), true)],
                        None => vec![
                            (dirs.children.join(format!("{file_name}.rs")), false),
                            (dirs.children.join(&file_name).join("mod.rs"), true),
                        ],
                    };
                    let found = candidates
                        .into_iter()
                        .find_map(|(p, mod_rs)| Some(((self.read)(&p).ok()?, p, mod_rs)));
                    match found {
                        Some((text, path, mod_rs)) => self.load_file(&path, text, child, mod_rs)?,
                        // Where the `cfg_attr`s give the path, no file
                        // for the other configurations is fine.
                        None if !branches.is_empty() => {}
                        None => {
                            let looked = match &path_attr {
                                Some(p) => dirs.path_base.join(p).display().to_string(),
                                None => format!(
                                    "{} and {}",
                                    dirs.children.join(format!("{file_name}.rs")).display(),
                                    dirs.children.join(&file_name).join("mod.rs").display()
                                ),
                            };
                            self.no_file(file, &name, &looked);
                        }
                    }
                }
            }
        }
        if let Some(module) = self.modules.get_mut(index) {
            module.items = items;
        }
        Ok(())
    }
}

impl Loader<'_> {
    fn no_file(&mut self, file: usize, name: &str, looked: &str) {
        self.warnings.push(format!(
            "{}: no file for `mod {name};` (looked for {looked}), so it was not checked",
            self.files[file].path.display(),
        ));
    }
}

/// What stops the tokenizer at `line` (1-based) and `column` (0-based, in
/// characters), in words: its own message only says it stopped there.
fn lex_problem(text: &str, line: usize, column: usize) -> &'static str {
    let at = text
        .lines()
        .nth(line.saturating_sub(1))
        .and_then(|l| l.chars().nth(column));
    match at {
        Some('(' | '[' | '{') => "this delimiter is never closed",
        Some(')' | ']' | '}') => "this closing delimiter matches no opening one",
        _ => {
            "a token that cannot be read starts here (an unterminated string, character or \
             block comment, or a character Rust does not accept)"
        }
    }
}

/// The value of `#[path = ".."]`.
fn path_attr(attrs: &[syn::Attribute]) -> Option<String> {
    attrs.iter().find_map(|a| match &a.meta {
        syn::Meta::NameValue(nv) if nv.path.is_ident("path") => match &nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    })
}

/// The paths of `#[cfg_attr(pred, path = "..")]` among `attrs`, of every
/// branch (nested `cfg_attr`s too): which configuration is built is not known.
fn cfg_attr_paths(attrs: &[syn::Attribute]) -> Vec<String> {
    let mut out = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("cfg_attr")) {
        if let syn::Meta::List(list) = &attr.meta {
            cfg_attr_branch(list, &mut out);
        }
    }
    out
}

fn cfg_attr_branch(list: &syn::MetaList, out: &mut Vec<String>) {
    let parser = Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated;
    let Ok(metas) = list.parse_args_with(parser) else {
        return;
    };
    // The first is the predicate; the rest are the attributes it gives.
    for meta in metas.iter().skip(1) {
        match meta {
            syn::Meta::List(inner) if inner.path.is_ident("cfg_attr") => {
                cfg_attr_branch(inner, out);
            }
            syn::Meta::NameValue(nv) if nv.path.is_ident("path") => {
                if let syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) = &nv.value
                {
                    out.push(s.value());
                }
            }
            _ => {}
        }
    }
}

/// The arguments of `#[deny_blocking(..)]` among `attrs` (empty for a bare one).
pub(crate) fn deny_args(attrs: &[syn::Attribute]) -> Option<proc_macro2::TokenStream> {
    let attr = attrs.iter().find(|a| {
        a.path()
            .segments
            .last()
            .is_some_and(|s| s.ident == "deny_blocking")
    })?;
    Some(match &attr.meta {
        syn::Meta::List(list) => list.tokens.clone(),
        _ => proc_macro2::TokenStream::new(),
    })
}
