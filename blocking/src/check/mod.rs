//! The walk over checked code, in stages: [`walk`] carries the context down
//! the tree, [`evidence`] collects the names later awaited, [`resolve`] turns
//! written paths and expressions into full paths and tracked types, and
//! [`findings`] matches them against the catalogue.
//!
//! Two bits of context travel down the tree: whether code runs on the
//! executor (`in_async`: async fns, async blocks and the plain closures inside
//! them, but not nested `fn` items or closures handed to `spawn_blocking`),
//! and how the value of the expression at hand is used ([`Usage`]). An async
//! alternative must be awaited, so `.await` is evidence against the blocking
//! reading of an ambiguous path, and only a synchronous use is evidence for
//! it.

mod evidence;
mod findings;
mod guards;
mod resolve;
mod walk;

use std::collections::{HashMap, HashSet};

use syn::visit::Visit;
use syn::{Block, Expr, Item, Signature};

use crate::attrs::{has_allow, has_attr, item_attrs};
use crate::options::CheckOptions;
use crate::scope::{Frame, OwnType, Scopes};
use crate::types::Yields;

use evidence::Evidence;
use walk::bind_pat;

/// How the value of an expression is used: the evidence for reading a bare
/// name that nothing in view resolves.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) enum Usage {
    /// Nothing says: a closure's value, an argument of a fn the check does
    /// not know, a tail expression, a name handed on. No guess is made.
    #[default]
    Unknown,
    /// Operand of `.await`, or handed to something that awaits it (`join!`,
    /// `select!`, `timeout(..)`, a `let` awaited later): the async reading.
    Awaited,
    /// Used as a plain value: `?`, a method call on it, a discarded
    /// statement (a future there would never run), a condition, an operand,
    /// a format argument, a `let` never awaited nor handed on. Only the
    /// blocking reading of a bare std name does anything there.
    Sync,
}

/// One run of the check: feed it items, fns, blocks or future expressions,
/// then read its findings.
///
/// ```
/// use taskgroup_blocking::{CheckOptions, Checker};
///
/// let opts = CheckOptions::default();
/// let item: syn::Item = syn::parse_quote! {
///     async fn load() { std::thread::sleep(std::time::Duration::from_millis(5)); }
/// };
/// let mut checker = Checker::new(&opts);
/// checker.check_item(&item);
/// assert_eq!(checker.findings().len(), 1);
/// assert!(!checker.saw_markers());
/// ```
pub struct Checker<'a> {
    opts: &'a CheckOptions,
    scopes: Scopes,
    /// `let` names awaited (or handed to a future consumer) in the current fn.
    futures: HashSet<String>,
    /// `let` names handed on (to a call, a return, a struct or tuple): no
    /// evidence of how their value is used.
    handed_on: HashSet<String>,
    /// `let` names handed to `spawn_blocking` and the like, never called.
    offloaded: HashSet<String>,
    in_async: bool,
    /// How the value of the expression at hand is used.
    usage: Usage,
    errors: Vec<syn::Error>,
    /// Whether an `#[allow_blocking]` marker may be present (seen, or inside
    /// a macro the check does not read): the caller must strip markers.
    markers: bool,
    /// What each finding in `errors` names, in the same order.
    hits: Vec<Hit>,
    /// Calls into the crate's own code from async context, recorded for a
    /// whole-crate front end to follow (`None`: not recorded).
    own_calls: Option<Vec<OwnCall>>,
    /// Checking a sync fn for what calling it blocks: its async blocks and
    /// async closures are futures it builds, not code it runs.
    summary: bool,
    /// Whether lock guards held across an `.await` are reported.
    guards: bool,
    /// What a whole-crate front end knows of the crate's types.
    crate_types: Option<&'a dyn CrateTypes>,
    /// The type of the `impl` (or the trait) whose fn is being checked.
    self_ty: Option<String>,
}

/// What a finding names: the blocking path as shown, and the catalogue
/// entry (`None` for a user's `extra` path).
#[derive(Clone, Debug)]
pub(crate) struct Hit {
    pub(crate) shown: String,
    pub(crate) entry: Option<&'static str>,
    /// A lock guard held across an `.await`, not a blocking call.
    pub(crate) guard: bool,
}

/// A call from async code into the crate's own code.
#[derive(Clone, Debug)]
pub(crate) struct OwnCall {
    pub(crate) target: OwnTarget,
    /// The call's first and last tokens.
    pub(crate) span: (proc_macro2::Span, proc_macro2::Span),
}

/// What an [`OwnCall`] calls, as far as the syntax tells.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum OwnTarget {
    /// A path from the crate root (`crate::store::load`, `Store::open`).
    Path(Vec<String>),
    /// `Self::name`, relative to the enclosing `impl`.
    SelfPath(Vec<String>),
    /// A method call; `receiver` the receiver's type when it is one of the
    /// crate's own, as the syntax shows it (`self`, `s: &Store`, `let s =
    /// Store::open()?`, `self.store` with `store: Arc<Store>`).
    Method {
        name: String,
        receiver: Option<String>,
        /// The arguments after the receiver: a method found by its name
        /// alone must take as many.
        args: usize,
    },
}

/// What the whole-crate check knows of the crate's own types: the declared
/// types a receiver's type is worked out from.
pub(crate) trait CrateTypes {
    /// The declared return type of the fn `target` reaches from code of the
    /// `impl` of `self_ty`.
    fn returned(&self, self_ty: Option<&str>, target: &OwnTarget) -> Option<OwnType>;
    /// The declared type of the field `field` (a name, or `0` for a tuple
    /// struct's first) of the crate's struct `ty`.
    fn field(&self, ty: &str, field: &str) -> Option<OwnType>;
    /// Where a path from the crate root (without `crate`) leads through
    /// the crate's `use` items: `crate::..` for its own items, an outside
    /// path otherwise.
    fn canonical(&self, path: &[String]) -> Vec<String>;
}

impl<'a> Checker<'a> {
    /// A checker with the given options and no findings yet.
    ///
    /// ```
    /// let opts = taskgroup_blocking::CheckOptions::default();
    /// let checker = taskgroup_blocking::Checker::new(&opts);
    /// assert!(checker.findings().is_empty());
    /// ```
    pub fn new(opts: &'a CheckOptions) -> Self {
        Checker {
            opts,
            scopes: Scopes::default(),
            futures: HashSet::new(),
            handed_on: HashSet::new(),
            offloaded: HashSet::new(),
            in_async: false,
            usage: Usage::Unknown,
            errors: Vec::new(),
            markers: false,
            hits: Vec::new(),
            own_calls: None,
            summary: false,
            guards: false,
            crate_types: None,
            self_ty: None,
        }
    }

    /// Records calls into the crate's own code made from async context,
    /// typing receivers from `crate_types` in a fn of the `impl` of
    /// `self_ty`, and reports lock guards held across an `.await`.
    pub(crate) fn record_own_calls(
        &mut self,
        crate_types: &'a dyn CrateTypes,
        self_ty: Option<String>,
    ) {
        self.own_calls = Some(Vec::new());
        self.guards = true;
        self.crate_types = Some(crate_types);
        self.self_ty = self_ty;
    }

    /// Takes the calls recorded since the last take.
    pub(crate) fn take_own_calls(&mut self) -> Vec<OwnCall> {
        self.own_calls
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default()
    }

    /// Takes the findings so far, with what each names.
    pub(crate) fn take_hits(&mut self) -> Vec<(syn::Error, Hit)> {
        let errors = std::mem::take(&mut self.errors);
        errors
            .into_iter()
            .zip(std::mem::take(&mut self.hits))
            .collect()
    }

    /// Checks a sync fn's own body as if it ran on the executor: what a
    /// call to it from async code blocks on. Its async blocks are skipped.
    pub(crate) fn check_summary<'f>(
        &mut self,
        sig: &Signature,
        block: &Block,
        frames: impl Iterator<Item = &'f Frame>,
    ) {
        let mut sig = sig.clone();
        sig.asyncness = Some(Default::default());
        self.summary = true;
        self.within_frames(frames, |s| s.check_fn(&sig, block));
        self.summary = false;
    }

    /// The frame of a module holding `items`, its ancestors' `frames` in
    /// view.
    pub(crate) fn module_frame<'f>(
        &mut self,
        frames: impl Iterator<Item = &'f Frame>,
        items: &[Item],
    ) -> Frame {
        let mut frame = Frame::default();
        self.within_frames(frames, |s| frame = s.enter_module_frame(items));
        self.leave_module();
        frame
    }

    /// Checks a fn as it is, with the module `frames` in view.
    pub(crate) fn check_fn_within<'f>(
        &mut self,
        sig: &Signature,
        block: &Block,
        frames: impl Iterator<Item = &'f Frame>,
    ) {
        self.within_frames(frames, |s| s.check_fn(sig, block));
    }

    /// The findings so far, in source order: one `syn::Error` per blocking
    /// call, spanning the call, saying what to write instead.
    ///
    /// ```
    /// use taskgroup_blocking::{CheckOptions, Checker};
    ///
    /// let opts = CheckOptions::default();
    /// let mut checker = Checker::new(&opts);
    /// checker.check_item(&syn::parse_quote!(async fn f(p: &str) { std::fs::read(p); }));
    /// assert!(checker.findings()[0].to_string().starts_with("`std::fs::read` blocks"));
    /// ```
    pub fn findings(&self) -> &[syn::Error] {
        &self.errors
    }

    /// The findings, by value.
    ///
    /// ```
    /// use taskgroup_blocking::{CheckOptions, Checker};
    ///
    /// let opts = CheckOptions::default();
    /// let mut checker = Checker::new(&opts);
    /// checker.check_item(&syn::parse_quote!(async fn f() {}));
    /// assert!(checker.into_findings().is_empty());
    /// ```
    pub fn into_findings(self) -> Vec<syn::Error> {
        self.errors
    }

    /// Whether the checked code may hold an `#[allow_blocking]` marker (one
    /// was seen, or a macro the check does not read mentions it): an
    /// attribute front end must then strip the markers from its output.
    ///
    /// ```
    /// use taskgroup_blocking::{CheckOptions, Checker};
    ///
    /// let opts = CheckOptions::default();
    /// let mut checker = Checker::new(&opts);
    /// checker.check_item(&syn::parse_quote! {
    ///     async fn f() { #[allow_blocking] std::thread::sleep(d); }
    /// });
    /// assert!(checker.findings().is_empty() && checker.saw_markers());
    /// ```
    pub fn saw_markers(&self) -> bool {
        self.markers
    }

    /// Whether `attrs` carry `#[allow_blocking]`, remembering that they did.
    pub(super) fn allowed(&mut self, attrs: &[syn::Attribute]) -> bool {
        let allowed = has_allow(attrs);
        self.markers |= allowed;
        allowed
    }

    /// Runs `f` with the given execution context, restoring the old one.
    pub(super) fn with_context(&mut self, in_async: bool, f: impl FnOnce(&mut Self)) {
        let saved = (self.in_async, self.usage);
        self.in_async = in_async;
        self.usage = Usage::Unknown;
        f(self);
        (self.in_async, self.usage) = saved;
    }

    /// Visits `e` knowing how its value is used.
    pub(super) fn visit_used(&mut self, e: &Expr, usage: Usage) {
        self.usage = usage;
        self.visit_expr(e);
        self.usage = Usage::Unknown;
    }

    /// Replaces the current fn's evidence about its `let` names.
    fn swap_evidence(&mut self, evidence: Evidence) -> Evidence {
        Evidence {
            futures: std::mem::replace(&mut self.futures, evidence.futures),
            handed_on: std::mem::replace(&mut self.handed_on, evidence.handed_on),
            offloaded: std::mem::replace(&mut self.offloaded, evidence.offloaded),
        }
    }

    /// Checks a module's items with its `use` items in view.
    ///
    /// ```
    /// use taskgroup_blocking::{CheckOptions, Checker};
    ///
    /// let file: syn::File = syn::parse_quote! {
    ///     use std::fs;
    ///     async fn load(p: &str) { fs::read(p); }
    /// };
    /// let opts = CheckOptions::default();
    /// let mut checker = Checker::new(&opts);
    /// checker.check_module(&file.items);
    /// assert_eq!(checker.findings().len(), 1);
    /// ```
    pub fn check_module(&mut self, items: &[Item]) {
        self.enter_module(items);
        for item in items {
            self.check_item(item);
        }
        self.scopes.pop();
    }

    /// Pushes a module frame for `items`: their `use` items, local names and
    /// declarations come into view.
    fn enter_module(&mut self, items: &[Item]) {
        self.scopes.push(Frame::with_items(items, true));
        self.record_declarations(items);
    }

    /// Enters a module as [`Checker::check_module`] does, and returns a copy
    /// of its frame (a [`FileView`](crate::FileView) keeps them).
    pub(crate) fn enter_module_frame(&mut self, items: &[Item]) -> Frame {
        self.enter_module(items);
        self.scopes.top().map(|top| top.clone()).unwrap_or_default()
    }

    /// Leaves the module entered last.
    pub(crate) fn leave_module(&mut self) {
        self.scopes.pop();
    }

    /// Runs `f` with `frames` (the outermost first) pushed on the scopes,
    /// so the names they declare are in view.
    pub(crate) fn within_frames<'f>(
        &mut self,
        frames: impl Iterator<Item = &'f Frame>,
        f: impl FnOnce(&mut Self),
    ) {
        let mut pushed = 0;
        for frame in frames {
            self.scopes.push(frame.clone());
            pushed += 1;
        }
        f(self);
        for _ in 0..pushed {
            self.scopes.pop();
        }
    }

    /// Checks an item: an async fn's body, the fns of an `impl` or `trait`,
    /// or an inline module's items. Items marked `#[allow_blocking]` or with
    /// their own `#[deny_blocking]` are skipped.
    ///
    /// ```
    /// use taskgroup_blocking::{CheckOptions, Checker};
    ///
    /// let opts = CheckOptions::default();
    /// let mut checker = Checker::new(&opts);
    /// checker.check_item(&syn::parse_quote! {
    ///     impl Store { async fn save(&self) { std::fs::write("a", b"x"); } }
    /// });
    /// assert_eq!(checker.findings().len(), 1);
    /// ```
    pub fn check_item(&mut self, item: &Item) {
        if self.allowed(item_attrs(item)) || has_attr(item_attrs(item), "deny_blocking") {
            return;
        }
        match item {
            Item::Fn(f) => self.check_fn(&f.sig, &f.block),
            Item::Impl(imp) => {
                let self_ty = OwnType::of_syn(&imp.self_ty, None).map(|t| t.name);
                let outer = std::mem::replace(&mut self.self_ty, self_ty);
                for it in &imp.items {
                    if let syn::ImplItem::Fn(f) = it
                        && !self.allowed(&f.attrs)
                    {
                        self.check_fn(&f.sig, &f.block);
                    }
                }
                self.self_ty = outer;
            }
            Item::Trait(t) => {
                let outer = self.self_ty.replace(t.ident.to_string());
                for it in &t.items {
                    if let syn::TraitItem::Fn(f) = it
                        && let (Some(block), false) = (&f.default, self.allowed(&f.attrs))
                    {
                        self.check_fn(&f.sig, block);
                    }
                }
                self.self_ty = outer;
            }
            Item::Mod(m) => {
                if let Some((_, items)) = &m.content {
                    self.check_module(items);
                }
            }
            _ => {}
        }
    }

    /// Checks a function: its body is async context when the fn is async;
    /// otherwise only its async blocks are. Typed parameters
    /// (`rx: std::sync::mpsc::Receiver<Job>`) count as visible receivers.
    ///
    /// ```
    /// use taskgroup_blocking::{CheckOptions, Checker};
    ///
    /// let f: syn::ItemFn = syn::parse_quote! {
    ///     async fn next(rx: std::sync::mpsc::Receiver<u8>) -> u8 { rx.recv().unwrap() }
    /// };
    /// let opts = CheckOptions::default();
    /// let mut checker = Checker::new(&opts);
    /// checker.check_fn(&f.sig, &f.block);
    /// assert_eq!(checker.findings().len(), 1);
    /// ```
    pub fn check_fn(&mut self, sig: &Signature, block: &Block) {
        let saved = self.swap_evidence(Evidence::of_block(block));
        let mut frame = Frame::boundary();
        for input in &sig.inputs {
            match input {
                syn::FnArg::Typed(pt) => {
                    let ty = self.yields_of_syn(&pt.ty);
                    bind_pat(&mut frame, &pt.pat, ty);
                    self.bind_own_type(&mut frame, &pt.pat, &pt.ty);
                }
                syn::FnArg::Receiver(_) => {
                    frame.bind("self".to_string(), None);
                    if let Some(name) = self.self_ty.clone() {
                        let own = OwnType {
                            name,
                            wrapped: false,
                        };
                        frame.own_types.insert("self".to_string(), own);
                    }
                }
            }
        }
        self.scopes.push(frame);
        self.with_context(sig.asyncness.is_some(), |s| s.visit_block(block));
        self.scopes.pop();
        self.swap_evidence(saved);
    }

    /// Checks a block in async context (an async fn body or async block).
    ///
    /// ```
    /// use taskgroup_blocking::{CheckOptions, Checker};
    ///
    /// let opts = CheckOptions::default();
    /// let mut checker = Checker::new(&opts);
    /// checker.check_async_block(&syn::parse_quote!({ std::thread::sleep(d); }));
    /// assert_eq!(checker.findings().len(), 1);
    /// ```
    pub fn check_async_block(&mut self, block: &Block) {
        let saved = self.swap_evidence(Evidence::of_block(block));
        self.with_context(true, |s| s.visit_block(block));
        self.swap_evidence(saved);
    }

    /// Checks an expression evaluated in async context as a future (a
    /// `gather!` argument): the expression itself counts as awaited.
    ///
    /// ```
    /// use taskgroup_blocking::{CheckOptions, Checker};
    ///
    /// let opts = CheckOptions::default();
    /// let mut checker = Checker::new(&opts);
    /// // Awaited by whoever takes the future, so `fs` is tokio's.
    /// checker.check_future_expr(&syn::parse_quote!(fs::read(p)));
    /// checker.check_future_expr(&syn::parse_quote!(async { std::fs::read(p) }));
    /// assert_eq!(checker.findings().len(), 1);
    /// ```
    pub fn check_future_expr(&mut self, expr: &Expr) {
        let saved = self.swap_evidence(Evidence::of_expr(expr));
        self.with_context(true, |s| s.visit_used(expr, Usage::Awaited));
        self.swap_evidence(saved);
    }

    /// Records what the items of the module frame on top declare: struct
    /// and enum field types and fn return types, by name (`None` when two
    /// declarations disagree or the type is not tracked).
    fn record_declarations(&mut self, items: &[Item]) {
        let mut fields = HashMap::new();
        let mut returns = HashMap::new();
        for item in items {
            match item {
                Item::Struct(s) => self.declare_fields(&s.fields, &mut fields),
                Item::Enum(e) => {
                    for variant in &e.variants {
                        self.declare_fields(&variant.fields, &mut fields);
                    }
                }
                Item::Fn(f) => self.declare_return(&f.sig, &mut returns),
                Item::Impl(imp) => {
                    for it in &imp.items {
                        if let syn::ImplItem::Fn(f) = it {
                            self.declare_return(&f.sig, &mut returns);
                        }
                    }
                }
                _ => {}
            }
        }
        if let Some(top) = self.scopes.top() {
            top.fields = fields;
            top.returns = returns;
        }
    }

    fn declare_fields(&self, fields: &syn::Fields, out: &mut HashMap<String, Option<Yields>>) {
        for field in fields {
            if let Some(name) = &field.ident {
                declare(out, name.to_string(), self.yields_of_syn(&field.ty));
            }
        }
    }

    /// An async fn's value is a future, never a blocking receiver.
    fn declare_return(&self, sig: &Signature, out: &mut HashMap<String, Option<Yields>>) {
        let ty = match (&sig.output, sig.asyncness) {
            (syn::ReturnType::Type(_, ty), None) => self.yields_of_syn(ty),
            _ => None,
        };
        declare(out, sig.ident.to_string(), ty);
    }
}

/// Records `name: ty`, forgetting the type when another declaration differs.
fn declare(out: &mut HashMap<String, Option<Yields>>, name: String, ty: Option<Yields>) {
    out.entry(name)
        .and_modify(|old| {
            if *old != ty {
                *old = None;
            }
        })
        .or_insert(ty);
}
