//! The whole-crate check on small in-memory crates: one test per rule of
//! the module tree, the imports across modules and the call graph.

use std::collections::HashMap;
use std::path::Path;

use super::{CrateSource, check_crate};
use crate::CheckOptions;

/// The chains found in a crate given as (path, text) pairs, root first.
fn chains(files: &[(&str, &str)]) -> Vec<String> {
    chains_with(files, &CheckOptions::default())
}

/// [`chains`] with options, as `Cargo.toml` gives them.
fn chains_with(files: &[(&str, &str)], opts: &CheckOptions) -> Vec<String> {
    let table: HashMap<&Path, &str> = files.iter().map(|(p, t)| (Path::new(*p), *t)).collect();
    let read = |p: &Path| {
        table
            .get(p)
            .map(|t| t.to_string())
            .ok_or_else(|| std::io::ErrorKind::NotFound.into())
    };
    let root = Path::new(files[0].0);
    match CrateSource::load_with(root, &read) {
        Ok(source) => check_crate(&source, opts)
            .iter()
            .map(|f| {
                format!(
                    "{}:{} {}",
                    f.location.file.display(),
                    f.location.line,
                    f.chain_text()
                )
            })
            .collect(),
        Err(e) => vec![e.to_string()],
    }
}

#[test]
fn mod_files_beside_a_root_and_in_a_folder_named_after_a_module() {
    let found = chains(&[
        ("src/lib.rs", "mod a;\nmod b;\nmod r#impl;"),
        ("src/a.rs", "mod inner;"),
        ("src/a/inner.rs", "async fn f() { std::thread::sleep(d); }"),
        ("src/b/mod.rs", "mod leaf;"),
        ("src/b/leaf.rs", "async fn g() { std::fs::read(p); }"),
        ("src/impl.rs", "mod r#type;"),
        ("src/impl/type.rs", "async fn h() { std::fs::write(p, b); }"),
    ]);
    assert_eq!(
        found,
        [
            "src/a/inner.rs:1 a::inner::f -> std::thread::sleep",
            "src/b/leaf.rs:1 b::leaf::g -> std::fs::read",
            "src/impl/type.rs:1 r#impl::r#type::h -> std::fs::write"
        ]
    );
}

#[test]
fn path_attributes_and_inline_modules() {
    let found = chains(&[
        (
            "src/main.rs",
            "#[path = \"sys/linux.rs\"] mod sys;\nmod outer { mod deep; }",
        ),
        (
            "src/sys/linux.rs",
            "async fn f() { std::thread::sleep(d); }",
        ),
        (
            "src/outer/deep.rs",
            "async fn g() { std::thread::sleep(d); }",
        ),
    ]);
    assert_eq!(
        found,
        [
            "src/outer/deep.rs:1 outer::deep::g -> std::thread::sleep",
            "src/sys/linux.rs:1 sys::f -> std::thread::sleep"
        ]
    );
}

#[test]
fn every_cfg_branch_is_checked() {
    let found = chains(&[
        (
            "lib.rs",
            "#[cfg(unix)] #[path = \"u.rs\"] mod imp;\n#[cfg(windows)] #[path = \"w.rs\"] mod imp;",
        ),
        ("u.rs", "async fn f() { std::thread::sleep(d); }"),
        ("w.rs", "async fn f() { std::fs::read(p); }"),
    ]);
    assert_eq!(
        found,
        [
            "u.rs:1 imp::f -> std::thread::sleep",
            "w.rs:1 imp::f -> std::fs::read"
        ]
    );
}

#[test]
fn re_exports_resolve_across_modules() {
    let found = chains(&[
        (
            "lib.rs",
            "mod util;\nmod api;\npub use util::sys::fs as files;",
        ),
        ("util.rs", "pub mod sys { pub use std::fs; }"),
        (
            "api.rs",
            "use crate::files;\nuse super::util::sys::*;\nasync fn a() { files::read(p); }\nasync fn b() { fs::write(p, b); }",
        ),
    ]);
    assert_eq!(
        found,
        [
            "api.rs:3 api::a -> std::fs::read",
            "api.rs:4 api::b -> std::fs::write"
        ]
    );
}

#[test]
fn a_crate_fn_shadows_a_std_name_through_imports() {
    let found = chains(&[
        (
            "lib.rs",
            "mod clock;\nuse clock::sleep;\nasync fn f() { sleep(d); }",
        ),
        ("clock.rs", "pub fn sleep(_: u64) {}"),
    ]);
    assert_eq!(found, Vec::<String>::new());
}

#[test]
fn helpers_are_followed_to_any_depth_and_cycles_end() {
    let found = chains(&[(
        "lib.rs",
        "fn a(n: u32) { if n > 0 { b(n) } }\nfn b(n: u32) { a(n - 1); c() }\nfn c() { std::fs::read(p); }\nasync fn h() { a(3) }",
    )]);
    assert_eq!(found, ["lib.rs:4 h -> a -> b -> c -> std::fs::read"]);
    let cycle_only = chains(&[(
        "lib.rs",
        "fn a() { b() }\nfn b() { a() }\nasync fn h() { a() }",
    )]);
    assert_eq!(cycle_only, Vec::<String>::new());
}

#[test]
fn methods_by_self_by_unique_name_and_single_trait_impl() {
    let found = chains(&[(
        "lib.rs",
        "struct S;\nimpl S { fn load(&self) { self.raw() } fn raw(&self) { std::fs::read(p); } }\n\
         trait T { fn go(&self); }\nimpl T for S { fn go(&self) { std::thread::sleep(d); } }\n\
         async fn h(s: S) { s.load(); }\nasync fn k(t: &dyn T) { t.go(); }",
    )]);
    assert_eq!(
        found,
        [
            "lib.rs:5 h -> S::load -> S::raw -> std::fs::read",
            "lib.rs:6 k -> S::go -> std::thread::sleep"
        ]
    );
}

#[test]
fn methods_on_a_parameter_by_its_declared_type() {
    let found = chains(&[(
        "lib.rs",
        "struct Store; struct Other;\n\
         impl Store { fn save(&self) { std::fs::write(p, b); } }\n\
         impl Other { fn save(&self) {} }\n\
         async fn by_ref(s: &Store) { s.save(); }\n\
         async fn by_arc(s: std::sync::Arc<Store>, o: &Other) { o.save(); s.save(); }\n\
         async fn other(o: Other) { o.save(); }\n\
         async fn shadowed(s: &Store, o: Other) { let s = o; s.save(); }\n\
         async fn in_block(s: &Store) { { let s = Other; s.save(); } }",
    )]);
    assert_eq!(
        found,
        [
            "lib.rs:4 by_ref -> Store::save -> std::fs::write",
            "lib.rs:5 by_arc -> Store::save -> std::fs::write"
        ]
    );
}

/// Two types with a `save`; only `Store`'s blocks.
const STORE_AND_OTHER: &str = "struct Store; struct Other; struct E;\n\
     impl Store { fn open() -> Self { Store } fn try_open() -> Result<Self, E> { Ok(Store) }\n\
     fn find() -> Option<Store> { None } async fn connect() -> std::io::Result<Store> { Ok(Store) }\n\
     fn save(&self) { std::fs::write(p, b); } }\n\
     impl Other { fn new() -> Other { Other } fn save(&self) {} }\n";

#[test]
fn methods_on_a_let_binding_by_its_constructor_or_annotation() {
    let src = format!(
        "{STORE_AND_OTHER}\
         async fn ctor() {{ let s = Store::open(); s.save(); }}\n\
         async fn tried() -> Result<(), E> {{ let s = Store::try_open()?; s.save(); Ok(()) }}\n\
         async fn unwrapped() {{ let s = Store::find().unwrap(); s.save(); }}\n\
         async fn expected() {{ let s = Store::connect().await.expect(\"up\"); s.save(); }}\n\
         async fn typed(x: X) {{ let s: std::sync::Arc<Store> = x.into(); s.save(); }}\n\
         async fn other() {{ let o = Other::new(); o.save(); }}\n\
         async fn later_let() {{ let s = Store::open(); let s = Other::new(); s.save(); }}\n\
         async fn closure() {{ let s = Store::open(); let f = |s: Other| s.save(); }}\n\
         async fn inner(x: X) {{ let s = Store::open(); {{ let s = x; s.save(); }} }}\n\
         async fn literal() {{ let s = Store {{}}; s.save(); }}\n\
         async fn shared() {{ let s = std::sync::Arc::new(Store::open()); s.clone().save(); }}"
    );
    let found = chains(&[("lib.rs", &src)]);
    assert_eq!(
        found,
        [
            "lib.rs:6 ctor -> Store::save -> std::fs::write",
            "lib.rs:7 tried -> Store::save -> std::fs::write",
            "lib.rs:8 unwrapped -> Store::save -> std::fs::write",
            "lib.rs:9 expected -> Store::save -> std::fs::write",
            "lib.rs:10 typed -> Store::save -> std::fs::write",
            "lib.rs:15 literal -> Store::save -> std::fs::write",
            "lib.rs:16 shared -> Store::save -> std::fs::write"
        ]
    );
}

#[test]
fn if_let_while_let_and_match_patterns_bind_and_hide_receivers() {
    let src = format!(
        "{STORE_AND_OTHER}\
         async fn if_let() {{ if let Ok(s) = Store::try_open() {{ s.save(); }} }}\n\
         async fn arm() {{ match Store::find() {{ Some(s) => s.save(), None => {{}} }} }}\n\
         async fn hidden(s: &Store, o: Option<Other>) {{ if let Some(s) = o {{ s.save(); }} }}\n\
         async fn arm_hidden(s: &Store, o: Option<Other>) {{ match o {{ Some(s) => s.save(), _ => {{}} }} }}\n\
         async fn loop_hidden(s: &Store, mut v: Vec<Other>) {{ while let Some(s) = v.pop() {{ s.save(); }} }}\n\
         async fn after(s: &Store, o: Option<Other>) {{ if let Some(s) = o {{}} s.save(); }}"
    );
    let found = chains(&[("lib.rs", &src)]);
    assert_eq!(
        found,
        [
            "lib.rs:6 if_let -> Store::save -> std::fs::write",
            "lib.rs:7 arm -> Store::save -> std::fs::write",
            "lib.rs:11 after -> Store::save -> std::fs::write"
        ]
    );
}

#[test]
fn methods_through_a_lock_guard() {
    let src = format!(
        "{STORE_AND_OTHER}\
         struct Shared {{ store: std::sync::Arc<std::sync::Mutex<Store>>, other: RwLock<Other> }}\n\
         impl Shared {{ async fn run(&self) {{ self.store.lock().unwrap().save(); self.other.read().await.save(); }} }}\n\
         async fn tokio_guard(m: &tokio::sync::Mutex<Store>) {{ m.lock().await.save(); }}\n\
         async fn cell(c: std::cell::RefCell<Store>, o: std::sync::Mutex<Other>) {{ c.borrow().save(); o.lock().unwrap().save(); }}"
    );
    let found = chains(&[("lib.rs", &src)]);
    assert_eq!(
        found,
        [
            "lib.rs:7 Shared::run -> Store::save -> std::fs::write",
            "lib.rs:8 tokio_guard -> Store::save -> std::fs::write",
            "lib.rs:9 cell -> Store::save -> std::fs::write"
        ]
    );
}

#[test]
fn methods_on_a_constructor_chain() {
    let src = format!(
        "{STORE_AND_OTHER}\
         async fn chain() {{ Store::open().save(); }}\n\
         async fn tried() -> Result<(), E> {{ Store::try_open()?.save(); Ok(()) }}\n\
         async fn awaited() -> std::io::Result<()> {{ Store::connect().await?.save(); Ok(()) }}\n\
         impl Store {{ async fn again() {{ Self::find().unwrap().save(); }} }}\n\
         async fn other() {{ Other::new().save(); }}"
    );
    let found = chains(&[("lib.rs", &src)]);
    assert_eq!(
        found,
        [
            "lib.rs:6 chain -> Store::save -> std::fs::write",
            "lib.rs:7 tried -> Store::save -> std::fs::write",
            "lib.rs:8 awaited -> Store::save -> std::fs::write",
            "lib.rs:9 Store::again -> Store::save -> std::fs::write"
        ]
    );
}

#[test]
fn methods_on_a_field_by_its_declared_type() {
    let src = format!(
        "{STORE_AND_OTHER}\
         struct App {{ store: Store, shared: std::sync::Arc<Store>, other: Other }}\n\
         struct View<'a> {{ store: &'a Store }} struct Draft {{ store: Other }}\n\
         impl App {{ async fn handle(&self) {{ self.store.save(); self.other.save(); }} }}\n\
         async fn by_param(app: &App, v: View<'_>) {{ app.shared.save(); v.store.save(); }}\n\
         async fn other(d: &Draft, app: &App) {{ d.store.save(); app.other.save(); }}\n\
         async fn shadowed(app: &App, d: Draft) {{ let app = d; app.store.save(); }}"
    );
    let found = chains(&[("lib.rs", &src)]);
    assert_eq!(
        found,
        [
            "lib.rs:8 App::handle -> Store::save -> std::fs::write",
            "lib.rs:9 by_param -> Store::save -> std::fs::write",
            "lib.rs:9 by_param -> Store::save -> std::fs::write"
        ]
    );
}

#[test]
fn a_trait_method_with_several_impls_is_not_taken_for_one_of_them() {
    let found = chains(&[(
        "lib.rs",
        "trait T { fn go(&self); fn tick(&self) { self.go() } }\n\
         struct A; struct B;\n\
         impl T for A { fn go(&self) { std::fs::read(p); } }\n\
         impl T for B { fn go(&self) {} }\n\
         async fn h(b: &B) { b.tick(); }\n\
         trait One { fn only(&self); fn twice(&self) { self.only() } }\n\
         impl One for A { fn only(&self) { std::thread::sleep(d); } }\n\
         async fn k(a: &A) { a.twice(); }",
    )]);
    assert_eq!(
        found,
        ["lib.rs:8 k -> One::twice -> A::only -> std::thread::sleep"]
    );
}

#[test]
fn ambiguous_methods_std_method_names_and_async_callees_are_not_followed() {
    let found = chains(&[(
        "lib.rs",
        "struct A; struct B;\nimpl A { fn go(&self) { std::fs::read(p); } fn get(&self) { std::fs::read(p); } }\n\
         impl B { fn go(&self) {} }\nasync fn slow() { std::fs::read(p); }\n\
         async fn h(x: X, m: M) { x.go(); m.get(); let _ = slow(); }",
    )]);
    assert_eq!(found, ["lib.rs:4 slow -> std::fs::read"]);
}

#[test]
fn offloaded_allowed_and_async_block_helpers_are_not_followed() {
    let found = chains(&[(
        "lib.rs",
        "fn load() { std::fs::read(p); }\n#[allow_blocking] fn quick() { std::fs::read(p); }\n\
         fn spawner() { tokio::spawn(async { 1 }); }\n\
         async fn h() { tokio::task::spawn_blocking(|| load()); quick(); spawner(); }",
    )]);
    assert_eq!(found, Vec::<String>::new());
}

#[test]
fn async_blocks_in_sync_fns_and_deny_blocking_arguments() {
    let found = chains(&[(
        "lib.rs",
        "fn start() { tokio::spawn(async { std::thread::sleep(d) }); }\n\
         #[deny_blocking(allow = [std::fs::read])] async fn h() { std::fs::read(p); }",
    )]);
    assert_eq!(found, ["lib.rs:1 start -> std::thread::sleep"]);
}

#[test]
fn unreadable_and_unparsable_files_name_the_file() {
    assert_eq!(
        chains(&[("lib.rs", "fn f( {")]),
        ["lib.rs:1:7: cannot parse the file: this delimiter is never closed"]
    );
    assert_eq!(
        chains(&[("lib.rs", "fn f() {\n    g(1]);\n}")]),
        ["lib.rs:2:8: cannot parse the file: this closing delimiter matches no opening one"]
    );
    assert_eq!(
        chains(&[("lib.rs", "fn f() {}\nconst S: &str = \"open;")]),
        [
            "lib.rs:2:17: cannot parse the file: a token that cannot be read starts here \
             (an unterminated string, character or block comment, or a character Rust does \
             not accept)"
        ]
    );
    assert_eq!(
        chains(&[("lib.rs", "fn f() { let = 1; }")]),
        [
            "lib.rs:1:14: cannot parse the file: expected one of: identifier, `::`, `<`, `_`, \
             literal, `const`, `ref`, `mut`, `&`, parentheses, square brackets, `..`, `const`"
        ]
    );
    let missing = chains(&[(
        "lib.rs",
        "mod gone;\nasync fn f() { std::thread::sleep(d); }",
    )]);
    assert_eq!(missing, ["lib.rs:2 f -> std::thread::sleep"]);
}

#[test]
fn lock_guards_alive_across_an_await() {
    let found = chains(&[(
        "lib.rs",
        "async fn held(m: &Mutex<u8>) {\n let g = m.lock().unwrap();\n tick().await;\n}\n\
         async fn brief(m: &Mutex<u8>) { *m.lock().unwrap() += 1; tick().await; }\n\
         async fn dropped(m: &Mutex<u8>) { let g = m.lock().unwrap(); drop(g); tick().await; }\n\
         async fn scoped(m: &RwLock<u8>) { { let g = m.read().unwrap(); } tick().await; }\n\
         async fn tokio_lock(m: &tokio::sync::Mutex<u8>) { let g = m.lock().await; tick().await; }\n\
         async fn parking(m: &parking_lot::RwLock<u8>) { let g = m.write(); if x { tick().await; } }",
    )]);
    assert_eq!(
        found,
        ["lib.rs:2 held -> .lock()", "lib.rs:9 parking -> .write()"]
    );
}

#[test]
fn own_fns_allowed_by_path_are_neither_checked_nor_followed() {
    let files = [
        ("src/lib.rs", "mod storage;\nmod jobs;"),
        (
            "src/storage.rs",
            "pub struct Storage;\n\
             impl Storage {\n\
                 pub fn from_config(local: bool) -> Self { if local { std::fs::create_dir_all(p).unwrap(); } Storage }\n\
                 pub fn wipe(&self) { std::fs::remove_dir_all(p).unwrap(); }\n\
             }\n\
             pub fn load() { std::thread::sleep(d); }\n\
             async fn direct() { std::fs::read(p).unwrap(); }",
        ),
        (
            "src/jobs.rs",
            "use crate::storage::{Storage, load};\n\
             async fn run() { let s = Storage::from_config(false); s.wipe(); load(); }",
        ),
    ];
    let all = [
        "src/jobs.rs:2 jobs::run -> Storage::from_config -> std::fs::create_dir_all",
        "src/jobs.rs:2 jobs::run -> Storage::wipe -> std::fs::remove_dir_all",
        "src/jobs.rs:2 jobs::run -> storage::load -> std::thread::sleep",
        "src/storage.rs:7 storage::direct -> std::fs::read",
    ];
    assert_eq!(chains(&files), all);
    let allow = |paths: &[&[&str]]| CheckOptions {
        allow_own: paths
            .iter()
            .map(|p| p.iter().map(|s| s.to_string()).collect())
            .collect(),
        ..CheckOptions::default()
    };
    // One method.
    assert_eq!(
        chains_with(&files, &allow(&[&["storage", "Storage", "from_config"]])),
        all[1..]
    );
    // Every method of a type, and a free fn.
    assert_eq!(
        chains_with(
            &files,
            &allow(&[&["storage", "Storage"], &["storage", "load"]])
        ),
        all[3..]
    );
    // A module: its async fns are not checked either, as under #[allow_blocking].
    assert!(chains_with(&files, &allow(&[&["storage"]])).is_empty());
    // A prefix of a name is not a prefix of the path.
    assert_eq!(chains_with(&files, &allow(&[&["storage", "Stor"]])), all);
}

#[test]
fn calls_through_an_in_crate_pub_use_given_as_a_path() {
    let found = chains(&[
        (
            "src/lib.rs",
            "mod disk;\nmod util;\npub use disk::touch;\n\
             async fn a() { crate::touch(); }\n\
             async fn b() { util::deep(); }\n\
             async fn c() { crate::util::deep(); }\n\
             async fn d() { crate::util::fs::read(p); }",
        ),
        ("src/disk.rs", "pub fn touch() { std::fs::write(p, b); }"),
        (
            "src/util/mod.rs",
            "mod inner;\npub use self::inner::deep;\npub use std::fs;",
        ),
        (
            "src/util/inner.rs",
            "pub fn deep() { std::thread::sleep(d); }",
        ),
    ]);
    assert_eq!(
        found,
        [
            "src/lib.rs:4 a -> disk::touch -> std::fs::write",
            "src/lib.rs:5 b -> util::inner::deep -> std::thread::sleep",
            "src/lib.rs:6 c -> util::inner::deep -> std::thread::sleep",
            "src/lib.rs:7 d -> std::fs::read"
        ]
    );
}

#[test]
fn every_leading_super_of_a_call_path_is_counted() {
    let found = chains(&[
        ("src/lib.rs", "mod disk;\nmod a;"),
        ("src/disk.rs", "pub fn touch() { std::fs::write(p, b); }"),
        ("src/a.rs", "mod b;"),
        (
            "src/a/b.rs",
            "async fn f() { super::super::disk::touch(); }\n\
             mod c { async fn g() { super::super::super::disk::touch(); } }",
        ),
    ]);
    assert_eq!(
        found,
        [
            "src/a/b.rs:1 a::b::f -> disk::touch -> std::fs::write",
            "src/a/b.rs:2 a::b::c::g -> disk::touch -> std::fs::write"
        ]
    );
}

#[test]
fn a_call_reaches_every_cfg_branch_of_a_definition() {
    let found = chains(&[(
        "lib.rs",
        "#[cfg(unix)] fn helper() {}\n\
         #[cfg(not(unix))] fn helper() { std::fs::read(p); }\n\
         #[cfg(unix)] mod plat { pub fn open() {} }\n\
         #[cfg(not(unix))] mod plat { pub fn open() { std::thread::sleep(d); } }\n\
         struct S;\n\
         #[cfg(unix)] impl S { fn go(&self) {} }\n\
         #[cfg(not(unix))] impl S { fn go(&self) { std::fs::write(p, b); } }\n\
         async fn a() { helper(); }\n\
         async fn b() { plat::open(); }\n\
         async fn c(s: &S) { s.go(); }\n\
         async fn d(x: X) { x.go(); }",
    )]);
    assert_eq!(
        found,
        [
            "lib.rs:8 a -> helper -> std::fs::read",
            "lib.rs:9 b -> plat::open -> std::thread::sleep",
            "lib.rs:10 c -> S::go -> std::fs::write",
            "lib.rs:11 d -> S::go -> std::fs::write"
        ]
    );
}

#[test]
fn a_path_given_by_cfg_attr_is_read_in_every_branch() {
    let files = [
        (
            "lib.rs",
            "#[cfg_attr(unix, path = \"u.rs\")]\n#[cfg_attr(windows, path = \"w.rs\")]\nmod imp;\n\
             #[cfg_attr(any(test, feature = \"x\"), cfg_attr(unix, path = \"deep.rs\"))] mod nested;",
        ),
        ("u.rs", "async fn f() { std::thread::sleep(d); }"),
        ("w.rs", "async fn f() { std::fs::read(p); }"),
        ("imp.rs", "async fn g() { std::fs::write(p, b); }"),
        ("deep.rs", "async fn h() { std::thread::sleep(d); }"),
        ("nested.rs", ""),
    ];
    assert_eq!(
        chains(&files),
        [
            "deep.rs:1 nested::h -> std::thread::sleep",
            "imp.rs:1 imp::g -> std::fs::write",
            "u.rs:1 imp::f -> std::thread::sleep",
            "w.rs:1 imp::f -> std::fs::read"
        ]
    );
    let table: HashMap<&Path, &str> = files[..2]
        .iter()
        .map(|(p, t)| (Path::new(*p), *t))
        .collect();
    let read = |p: &Path| {
        table
            .get(p)
            .map(|t| t.to_string())
            .ok_or_else(|| std::io::ErrorKind::NotFound.into())
    };
    let source = CrateSource::load_with(Path::new("lib.rs"), &read).expect("loads");
    assert_eq!(
        source.warnings(),
        [
            "lib.rs: no file for `mod imp;` (looked for w.rs), so it was not checked",
            "lib.rs: no file for `mod nested;` (looked for deep.rs), so it was not checked"
        ]
    );
}

#[test]
fn no_std_guess_when_a_glob_of_another_crate_could_supply_the_name() {
    let found = chains(&[
        ("lib.rs", "mod t;\nmod s;\nmod none;"),
        (
            "t.rs",
            "use tokio::time::*;\nasync fn f(d: D) { let _ = sleep(d); }\n\
             async fn g(p: P) { let f: File = open(p)?; fs::read(p)?; }",
        ),
        (
            "s.rs",
            "use std::thread::*;\nuse std::io::*;\nasync fn f(d: D) { let _ = sleep(d); }",
        ),
        ("none.rs", "async fn f(d: D) { let _ = sleep(d); }"),
    ]);
    assert_eq!(
        found,
        [
            "none.rs:1 none::f -> std::thread::sleep",
            "s.rs:3 s::f -> std::thread::sleep"
        ]
    );
}

#[test]
fn a_method_found_by_name_alone_takes_as_many_arguments() {
    // An external type's methods (`backend` is not one of the crate's types)
    // share names with the crate's: found on lldap, where sea_orm's
    // `builder.build(stmt)` was taken for the crate's `build(self)`.
    let found = chains(&[(
        "lib.rs",
        "pub struct Config;\n\
         impl Config {\n\
             pub fn store(self) { std::fs::write(p, b).unwrap(); }\n\
             pub fn load(&self, key: u32) { std::fs::read(p).unwrap(); }\n\
             pub fn build(self) { std::fs::read(p).unwrap(); }\n\
         }\n\
         async fn with_external(backend: Backend) {\n\
             backend.store(1);\n\
             backend.load();\n\
             backend.build();\n\
         }\n\
         async fn with_as_many(backend: Backend) {\n\
             backend.store();\n\
             backend.load(7);\n\
         }",
    )]);
    assert_eq!(
        found,
        [
            "lib.rs:13 with_as_many -> Config::store -> std::fs::write",
            "lib.rs:14 with_as_many -> Config::load -> std::fs::read",
        ]
    );
}
