//! Where an annotated item stands in its source file.
//!
//! An attribute macro receives only its item's tokens, but the `use` items,
//! structs and helper fns that give its names a meaning usually sit around
//! it. A front end that can read the file parses it once into a [`FileView`]
//! (what each module of the file declares, with no spans, so it can be kept
//! for every item of the file), and finds each item's [`Surroundings`] in it:
//! the check then resolves names with the file-level and enclosing
//! inline-module items in view, as the compiler does.

use std::collections::HashMap;

use quote::ToTokens;
use syn::{Block, File, Item, Signature};

use crate::check::Checker;
use crate::options::CheckOptions;
use crate::scope::Frame;

/// What a source file declares, module by module: `use` items, local
/// items, field types and fn return types, and where each fn, `impl`,
/// `trait` and inline module stands. Holds no tokens or spans, so a front
/// end may build it once per file and keep it.
///
/// ```
/// use taskgroup_blocking::FileView;
///
/// let file: syn::File = syn::parse_quote! {
///     use std::fs;
///     mod store { use tokio::fs; async fn load() {} }
/// };
/// let view = FileView::of(&file);
/// let syn::Item::Mod(store) = &file.items[1] else { unreachable!() };
/// let load = &store.content.as_ref().unwrap().1[1];
/// assert_eq!(view.locate(load).map(|s| s.depth()), Some(2));
/// ```
#[derive(Default)]
pub struct FileView {
    /// Each module's frame, the file's first, with the index of its parent.
    modules: Vec<(Frame, Option<usize>)>,
    /// Checkable items by kind and name: their module and their tokens
    /// without outer attributes.
    items: HashMap<Key, Vec<(usize, String)>>,
    /// Fns and methods by name: their module and their body's tokens.
    fns: HashMap<String, Vec<(usize, String)>>,
}

/// Where one item stands in a [`FileView`]: the modules from the file's
/// down to the one that holds it.
///
/// ```
/// use taskgroup_blocking::FileView;
///
/// let file: syn::File = syn::parse_quote!(use std::fs; async fn f() {});
/// let view = FileView::of(&file);
/// assert_eq!(view.locate(&file.items[1]).unwrap().depth(), 1);
/// ```
pub struct Surroundings<'v> {
    view: &'v FileView,
    chain: Vec<usize>,
}

impl FileView {
    /// Reads what `file` declares, module by module.
    ///
    /// ```
    /// let file: syn::File = syn::parse_quote!(fn helper() {} async fn f() { helper() });
    /// let view = taskgroup_blocking::FileView::of(&file);
    /// assert!(view.locate(&file.items[1]).is_some());
    /// ```
    pub fn of(file: &File) -> Self {
        let opts = CheckOptions::default();
        let mut checker = Checker::new(&opts);
        let mut view = FileView::default();
        view.add_module(&mut checker, &file.items, None);
        view
    }

    fn add_module(&mut self, checker: &mut Checker<'_>, items: &[Item], parent: Option<usize>) {
        let index = self.modules.len();
        let frame = checker.enter_module_frame(items);
        self.modules.push((frame, parent));
        for item in items {
            if let Some(key) = key_of(item) {
                let tokens = without_outer_attrs(item);
                self.items.entry(key).or_default().push((index, tokens));
            }
            let mut add_fn = |sig: &syn::Signature, block: &syn::Block| {
                let body = block.to_token_stream().to_string();
                self.fns
                    .entry(sig.ident.to_string())
                    .or_default()
                    .push((index, body));
            };
            match item {
                Item::Fn(f) => add_fn(&f.sig, &f.block),
                Item::Impl(i) => {
                    for it in &i.items {
                        if let syn::ImplItem::Fn(f) = it {
                            add_fn(&f.sig, &f.block);
                        }
                    }
                }
                Item::Trait(t) => {
                    for it in &t.items {
                        if let syn::TraitItem::Fn(f) = it
                            && let Some(block) = &f.default
                        {
                            add_fn(&f.sig, block);
                        }
                    }
                }
                _ => {}
            }
            if let Item::Mod(m) = item
                && let Some((_, inner)) = &m.content
            {
                self.add_module(checker, inner, Some(index));
            }
        }
        checker.leave_module();
    }

    /// Finds `item`: the fn, `impl`, `trait` or inline module of the same
    /// kind and name whose tokens, outer attributes aside, are the same
    /// (attributes above the checking one have already run when it sees the
    /// item). `None` when nothing matches, as when a macro generated the
    /// item or it sits inside a fn body.
    ///
    /// ```
    /// use taskgroup_blocking::FileView;
    ///
    /// let file: syn::File = syn::parse_quote! {
    ///     #[deny_blocking]
    ///     async fn handler() {}
    /// };
    /// let view = FileView::of(&file);
    /// assert!(view.locate(&syn::parse_quote!(async fn handler() {})).is_some());
    /// assert!(view.locate(&syn::parse_quote!(async fn handler() { work().await })).is_none());
    /// ```
    pub fn locate(&self, item: &Item) -> Option<Surroundings<'_>> {
        let candidates = self.items.get(&key_of(item)?)?;
        let tokens = without_outer_attrs(item);
        let (module, _) = candidates.iter().find(|(_, t)| *t == tokens)?;
        Some(self.surroundings(*module))
    }

    /// Finds the fn with this signature's name and this body: a free fn, or
    /// a method of an `impl` or `trait` (an attribute on a method sees only
    /// the method). `None` when nothing matches.
    ///
    /// ```
    /// use taskgroup_blocking::FileView;
    ///
    /// let file: syn::File = syn::parse_quote! {
    ///     mod api { impl Server { async fn serve(&self) { self.run().await } } }
    /// };
    /// let view = FileView::of(&file);
    /// let method: syn::ImplItemFn = syn::parse_quote!(async fn serve(&self) { self.run().await });
    /// assert_eq!(view.locate_fn(&method.sig, &method.block).map(|s| s.depth()), Some(2));
    /// ```
    pub fn locate_fn(&self, sig: &syn::Signature, block: &syn::Block) -> Option<Surroundings<'_>> {
        let candidates = self.fns.get(&sig.ident.to_string())?;
        let body = block.to_token_stream().to_string();
        let (module, _) = candidates.iter().find(|(_, b)| *b == body)?;
        Some(self.surroundings(*module))
    }

    /// Adds a module frame under `parent` (a whole-crate front end builds
    /// its view module by module); returns its index.
    pub(crate) fn push_frame(&mut self, frame: Frame, parent: Option<usize>) -> usize {
        self.modules.push((frame, parent));
        self.modules.len() - 1
    }

    /// Where the items of module `module` stand.
    pub(crate) fn surroundings(&self, module: usize) -> Surroundings<'_> {
        let mut chain = vec![module];
        let mut at = module;
        while let Some(parent) = self.modules.get(at).and_then(|(_, p)| *p) {
            chain.push(parent);
            at = parent;
        }
        chain.reverse();
        Surroundings { view: self, chain }
    }
}

impl Surroundings<'_> {
    /// How many modules hold the item: 1 at the file's top level, one more
    /// per enclosing inline module.
    ///
    /// ```
    /// use taskgroup_blocking::FileView;
    ///
    /// let file: syn::File = syn::parse_quote!(mod a { mod b { async fn f() {} } });
    /// let f: syn::Item = syn::parse_quote!(async fn f() {});
    /// assert_eq!(FileView::of(&file).locate(&f).unwrap().depth(), 3);
    /// ```
    pub fn depth(&self) -> usize {
        self.chain.len()
    }

    /// The module frames, the file's first.
    pub(crate) fn frames(&self) -> impl Iterator<Item = &Frame> + '_ {
        self.chain
            .iter()
            .filter_map(|&i| self.view.modules.get(i).map(|(frame, _)| frame))
    }
}

/// A cheap identity for the items the check accepts: kind and name.
#[derive(PartialEq, Eq, Hash)]
enum Key {
    Fn(String),
    Impl(String),
    Trait(String),
    Mod(String),
}

fn key_of(item: &Item) -> Option<Key> {
    Some(match item {
        Item::Fn(f) => Key::Fn(f.sig.ident.to_string()),
        Item::Impl(i) => Key::Impl(i.self_ty.to_token_stream().to_string()),
        Item::Trait(t) => Key::Trait(t.ident.to_string()),
        Item::Mod(m) => Key::Mod(m.ident.to_string()),
        _ => return None,
    })
}

fn without_outer_attrs(item: &Item) -> String {
    let mut item = item.clone();
    match &mut item {
        Item::Fn(f) => f.attrs.retain(is_inner),
        Item::Impl(i) => i.attrs.retain(is_inner),
        Item::Trait(t) => t.attrs.retain(is_inner),
        Item::Mod(m) => m.attrs.retain(is_inner),
        _ => {}
    }
    item.to_token_stream().to_string()
}

fn is_inner(attr: &syn::Attribute) -> bool {
    matches!(attr.style, syn::AttrStyle::Inner(_))
}

/// How a checker takes an item's surroundings into view.
impl Checker<'_> {
    /// Checks an item that `#[deny_blocking]` annotates. With `surroundings`
    /// (the file it was found in), the `use` items, local items, field types
    /// and fn signatures of its file and enclosing inline modules are in
    /// view; without, only what the item itself holds.
    ///
    /// ```
    /// use taskgroup_blocking::{CheckOptions, Checker, FileView};
    ///
    /// let file: syn::File = syn::parse_quote! {
    ///     use std::thread::sleep;
    ///     async fn wait() { sleep(std::time::Duration::from_millis(5)); }
    /// };
    /// let item = &file.items[1];
    /// let view = FileView::of(&file);
    /// let opts = CheckOptions::default();
    /// let mut checker = Checker::new(&opts);
    /// checker.check_annotated(item, view.locate(item).as_ref());
    /// assert!(checker.findings()[0].to_string().starts_with("`std::thread::sleep` blocks"));
    /// ```
    pub fn check_annotated(&mut self, item: &Item, surroundings: Option<&Surroundings<'_>>) {
        match surroundings {
            Some(around) => self.within_frames(around.frames(), |s| s.check_item(item)),
            None => match item {
                Item::Mod(_) => self.check_item(item),
                _ => self.check_module(std::slice::from_ref(item)),
            },
        }
    }

    /// Checks a fn's body as async code whatever its signature says, with
    /// typed parameters as visible receivers and, given `surroundings`, the
    /// file and enclosing modules in view: for attributes that turn an
    /// `async fn` into something else (`#[task_group]`).
    ///
    /// ```
    /// use taskgroup_blocking::{CheckOptions, Checker, FileView};
    ///
    /// let file: syn::File = syn::parse_quote! {
    ///     use std::fs;
    ///     fn load(p: &str) { fs::read(p); }
    /// };
    /// let syn::Item::Fn(f) = &file.items[1] else { unreachable!() };
    /// let view = FileView::of(&file);
    /// let opts = CheckOptions::default();
    /// let mut checker = Checker::new(&opts);
    /// checker.check_body(&f.sig, &f.block, view.locate_fn(&f.sig, &f.block).as_ref());
    /// assert!(checker.findings()[0].to_string().starts_with("`std::fs::read` blocks"));
    /// ```
    pub fn check_body(
        &mut self,
        sig: &Signature,
        block: &Block,
        surroundings: Option<&Surroundings<'_>>,
    ) {
        let mut sig = sig.clone();
        sig.asyncness = Some(Default::default());
        match surroundings {
            Some(around) => self.within_frames(around.frames(), |s| s.check_fn(&sig, block)),
            None => self.check_fn(&sig, block),
        }
    }
}
