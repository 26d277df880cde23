//! Unit tests of the matching rules, one test per rule, and the catalogue
//! markdown check; the corpus metric lives in the sibling module.

use quote::quote;

use super::{CheckOptions, Checker, check_expr};

mod corpus;

/// Findings for `item` as `#[deny_blocking]` on it reports them.
pub(crate) fn check_item(item: &syn::Item, opts: &CheckOptions) -> Vec<syn::Error> {
    let mut checker = Checker::new(opts);
    checker.check_item(item);
    checker.into_findings()
}

/// Messages of the findings for `src`, an item as `#[deny_blocking]` sees it.
fn findings_with(src: &str, opts: &CheckOptions) -> Vec<String> {
    let item: syn::Item = syn::parse_str(src).expect("test source parses");
    check_item(&item, opts)
        .iter()
        .map(ToString::to_string)
        .collect()
}

fn findings(src: &str) -> Vec<String> {
    findings_with(src, &CheckOptions::default())
}

macro_rules! rejects {
    ($($name:ident: $src:literal => $needle:literal;)*) => {$(
        #[test]
        fn $name() {
            let found = findings($src);
            assert!(
                found.iter().any(|m| m.contains($needle)),
                "expected a finding containing {:?} in {:?}; got {:?}", $needle, $src, found
            );
        }
    )*};
}

macro_rules! accepts {
    ($($name:ident: $src:literal;)*) => {$(
        #[test]
        fn $name() {
            let found = findings($src);
            assert!(found.is_empty(), "expected no finding in {:?}; got {:?}", $src, found);
        }
    )*};
}

rejects! {
    full_path: "async fn f() { std::thread::sleep(d); }" => "`std::thread::sleep` blocks the executor thread; use `tokio::time::sleep(..).await`, or move the work into `tokio::task::spawn_blocking`";
    leading_colon_path: "async fn f() { ::std::fs::read(p); }" => "`std::fs::read`";
    use_in_fn: "async fn f() { use std::thread; thread::sleep(d); }" => "`std::thread::sleep`";
    use_alias: "async fn f() { use std::thread::sleep as nap; nap(d); }" => "`std::thread::sleep`";
    use_group: "async fn f() { use std::{fs, io}; fs::write(p, b); io::copy(&mut a, &mut b); }" => "`std::io::copy`";
    glob_import: "async fn f() { use std::fs::*; remove_dir(p); }" => "`std::fs::remove_dir`";
    glob_type_import: "async fn f() { use std::net::*; TcpStream::connect(a); }" => "`std::net::TcpStream::connect`";
    use_in_module: "mod m { use std::fs; async fn f() { fs::read(p); } }" => "`std::fs::read`";
    self_path_in_module: "mod m { use std::fs; async fn f() { self::fs::read(p); } }" => "`std::fs::read`";
    super_path_in_module: "mod m { use std::fs; mod inner { async fn f() { super::fs::read(p); } } }" => "`std::fs::read`";
    use_self_alias: "mod m { use std::process; use self::process as proc_; async fn f() { proc_::Command::new(\"x\").output(); } }" => "`std::process::Command::output`";
    bare_std_module_assumed: "async fn f() { thread::sleep(d); }" => "`std::thread::sleep`";
    bare_mpsc_channel: "async fn f() { let (tx, rx) = mpsc::channel(); rx.recv(); }" => "`std::sync::mpsc::Receiver::recv`";
    bare_sleep_unawaited: "async fn f() { sleep(Duration::from_millis(5)); }" => "`std::thread::sleep`";
    bare_std_type: "async fn f() { let f = File::open(p)?; }" => "`std::fs::File::open`";
    method_in_chain: "async fn f() { let mut s = String::new(); std::fs::File::open(p)?.read_to_string(&mut s)?; }" => "`std::fs::File::read_to_string`";
    method_on_let_binding: "async fn f() { let out = std::process::Command::new(\"git\").arg(\"log\").output(); }" => "`std::process::Command::output`";
    method_via_builder_binding: "async fn f() { let mut c = std::process::Command::new(\"git\"); c.arg(\"x\"); c.status(); }" => "`std::process::Command::status`";
    method_on_typed_param: "async fn f(rx: std::sync::mpsc::Receiver<u8>) { rx.recv_timeout(d); }" => "`std::sync::mpsc::Receiver::recv_timeout`";
    method_on_arc_mutex_param: "async fn f(db: Arc<Mutex<rusqlite::Connection>>) { db.lock().unwrap().execute(\"x\", []); }" => "`rusqlite::Connection::execute`";
    join_handle_no_args: "async fn f() { let h = std::thread::spawn(|| 1); h.join(); }" => "`std::thread::JoinHandle::join`";
    barrier_in_arc: "async fn f() { let b = Arc::new(std::sync::Barrier::new(2)); b.wait(); }" => "`std::sync::Barrier::wait`";
    condvar_wait: "async fn f(cv: &std::sync::Condvar, g: G) { cv.wait(g); }" => "`std::sync::Condvar::wait`";
    stdin_read_line: "async fn f() { let mut s = String::new(); std::io::stdin().read_line(&mut s); }" => "`std::io::Stdin::read_line`";
    tcp_accept_tuple: "async fn f() { let l = std::net::TcpListener::bind(a)?; let (mut s, _) = l.accept()?; s.write_all(b\"x\"); }" => "`std::net::TcpStream::write_all`";
    open_options_chain: "async fn f() { std::fs::OpenOptions::new().append(true).open(p); }" => "`std::fs::OpenOptions::open`";
    futures_block_on: "async fn f() { futures::executor::block_on(g()); }" => "`futures::executor::block_on`";
    runtime_block_on: "async fn f() { let rt = tokio::runtime::Runtime::new().unwrap(); rt.block_on(g()); }" => "`tokio::runtime::Runtime::block_on`";
    handle_block_on: "async fn f() { tokio::runtime::Handle::current().block_on(g()); }" => "`tokio::runtime::Handle::block_on`";
    blocking_lock_any_receiver: "async fn f(m: &tokio::sync::Mutex<u8>) { m.blocking_lock(); }" => "`tokio::sync::Mutex::blocking_lock`";
    blocking_send: "async fn f() { tx.blocking_send(1); }" => "`tokio::sync::mpsc::Sender::blocking_send`";
    reqwest_blocking: "async fn f() { reqwest::blocking::get(u)?.text()?; }" => "`reqwest::blocking::Response::text`";
    reqwest_blocking_client: "async fn f(c: reqwest::blocking::Client) { c.get(u).header(a, b).send(); }" => "`reqwest::blocking::RequestBuilder::send`";
    ureq_call: "async fn f() { ureq::get(u).call(); }" => "`ureq::Request::call`";
    diesel_query_on_conn: "async fn f() { let mut c = diesel::PgConnection::establish(u)?; users.load::<User>(&mut c); }" => "`diesel::RunQueryDsl::load`";
    diesel_glob_prelude: "mod m { use diesel::prelude::*; async fn f() { PgConnection::establish(u); } }" => "`diesel::PgConnection::establish`";
    r2d2_pool_by_manager: "async fn f(pool: &Pool<SqliteConnectionManager>) { let c = pool.get()?; c.execute(\"x\", []); }" => "`r2d2::Pool::get`";
    struct_field_in_module: "mod m { struct Repo { conn: rusqlite::Connection } impl Repo { async fn f(&self) { self.conn.execute(\"x\", []); } } }" => "`rusqlite::Connection::execute`";
    closure_in_async_code: "async fn f(ps: Vec<P>) { ps.iter().map(|p| std::fs::read(p)).count(); }" => "`std::fs::read`";
    async_block_in_sync_fn: "fn f() -> impl Future { async { std::thread::sleep(d) } }" => "`std::thread::sleep`";
    async_block_in_insulated_closure: "async fn f() { tokio::task::spawn_blocking(|| async { std::thread::sleep(d) }); }" => "`std::thread::sleep`";
    let_bound_closure_called_here: "async fn f() { let work = || std::thread::sleep(d); work(); }" => "`std::thread::sleep`";
    let_bound_closure_called_here_and_offloaded: "async fn f() { let work = || std::fs::read(p); work(); tokio::task::spawn_blocking(work).await; }" => "`std::fs::read`";
    statement_of_a_block_handed_to_spawn_blocking: "async fn f() { tokio::task::spawn_blocking({ std::thread::sleep(d); move || 1 }).await; }" => "`std::thread::sleep`";
    join_macro_args: "async fn f() { tokio::join!(a(), async { std::fs::read(p) }); }" => "`std::fs::read`";
    select_handler: "async fn f() { tokio::select! { _ = a() => { std::thread::sleep(d) } } }" => "`std::thread::sleep`";
    format_args_checked: "async fn f() { println!(\"{}\", std::fs::read_to_string(p)?); }" => "`std::fs::read_to_string`";
    vec_elements_checked: "async fn f() { let v = vec![std::fs::read(a), std::fs::read(b)]; }" => "`std::fs::read`";
    impl_block_async_fns: "impl S { async fn f(&self) { std::thread::sleep(d); } }" => "`std::thread::sleep`";
    nested_async_fn: "async fn f() { async fn g() { std::thread::sleep(d); } }" => "`std::thread::sleep`";
    unawaited_let_never_awaited: "async fn f() { let data = fs::read(p); }" => "`std::fs::read`";
    path_exists: "async fn f() { std::path::Path::new(p).exists(); }" => "`std::path::Path::exists`";
    to_socket_addrs: "async fn f() { \"example.com:80\".to_socket_addrs(); }" => "`std::net::ToSocketAddrs::to_socket_addrs`";
    select_names_do_not_mask: "async fn f(rx: std::sync::mpsc::Receiver<u8>) { let out = rx.recv(); tokio::select! { v = a() => out.push(v), } }" => "`std::sync::mpsc::Receiver::recv`";
    method_with_self_receiver: "async fn f(&self) { std::thread::sleep(d); }" => "`std::thread::sleep`";
    for_loop_over_std_receiver: "async fn f() { let (tx, rx) = std::sync::mpsc::channel::<u8>(); for msg in rx { drop(msg); } }" => "`std::sync::mpsc::Receiver::into_iter`";
    redis_cmd_query: "async fn f(con: &mut redis::Connection) { redis::cmd(\"GET\").arg(\"k\").query::<String>(con); }" => "`redis::Cmd::query`";
    join_handles_pushed_then_joined: "async fn f() { let mut hs = Vec::new(); for i in 0..4 { hs.push(std::thread::spawn(move || i)); } for h in hs { h.join(); } }" => "`std::thread::JoinHandle::join`";
    join_handles_typed_vec: "async fn f(hs: Vec<std::thread::JoinHandle<()>>) { for h in hs.into_iter() { h.join(); } }" => "`std::thread::JoinHandle::join`";
    join_handles_mapped_and_collected: "async fn f() { let hs: Vec<_> = (0..4).map(|i| std::thread::spawn(move || i)).collect(); hs.into_iter().for_each(|h| { h.join(); }); }" => "`std::thread::JoinHandle::join`";
    join_handle_popped: "async fn f(mut hs: Vec<std::thread::JoinHandle<()>>) { hs.pop().unwrap().join(); }" => "`std::thread::JoinHandle::join`";
    type_kept_through_ok: "async fn f() -> Option<()> { let mut c = std::process::Command::new(\"x\").spawn().ok()?; c.wait(); None }" => "`std::process::Child::wait`";
    matches_argument: "async fn f() { matches!(std::fs::metadata(p), Ok(m) if m.is_file()); }" => "`std::fs::metadata`";
    file_lines_say_io_not_stdin: "async fn f(file: std::fs::File) { BufReader::new(file).lines().count(); }" => "`std::io::BufReader<std::fs::File>::lines` blocks the executor thread until the I/O completes";
    stdin_lines_say_stdin: "async fn f() { std::io::stdin().lines().count(); }" => "`std::io::Stdin::lines` blocks the executor thread until input arrives on stdin";
    helper_return_type_in_view: "mod m { fn log() -> std::io::Result<std::fs::File> { todo!() } async fn f() { log()?.sync_all(); } }" => "`std::fs::File::sync_all`";
    guess_says_what_it_assumed: "async fn f() { thread::sleep(d); }" => "(assumed: nothing in view imports `thread::sleep` and its value is used synchronously, so it was taken as `std::thread::sleep`; if it is another item, import it by its full path, or mark the call `#[allow_blocking]`)";
    tempfile_named_temp_file: "async fn f() { let file = tempfile::NamedTempFile::new()?; }" => "`tempfile::NamedTempFile::new` blocks the executor thread on file-system I/O; use `tokio::task::spawn_blocking(..)` and await its handle (`tempfile` has no async API)";
    tempfile_tempdir_imported: "async fn f() { use tempfile::tempdir; let dir = tempdir()?; }" => "`tempfile::tempdir`";
    tempfile_tempdir_type_in_module: "mod m { use tempfile::TempDir; async fn f() { TempDir::new(); } }" => "`tempfile::TempDir::new`";
    walkdir_into_iter_after_builder: "async fn f() { walkdir::WalkDir::new(p).max_depth(2).into_iter().count(); }" => "`walkdir::WalkDir::into_iter`";
    walkdir_for_loop: "async fn f() { use walkdir::WalkDir; for e in WalkDir::new(p) { drop(e); } }" => "`walkdir::WalkDir::into_iter` blocks the executor thread on file-system I/O; use `tokio::fs::read_dir(..).await` on each directory, or move the work into `tokio::task::spawn_blocking`";
    walkdir_typed_param_loop: "async fn f(w: walkdir::WalkDir) { for e in w { drop(e); } }" => "`walkdir::WalkDir::into_iter`";
    guess_on_try: "async fn f() -> R { let n = fs::read(p)?.len(); }" => "taken as `std::fs::read`";
    guess_on_method_receiver: "async fn f() { fs::read_to_string(p).unwrap_or_default(); }" => "taken as `std::fs::read_to_string`";
    guess_in_condition: "async fn f() { if fs::metadata(p).is_ok() {} }" => "`std::fs::metadata`";
    guess_in_format_argument: "async fn f() { println!(\"{:?}\", fs::read(p)); }" => "`std::fs::read`";
    guess_behind_a_receiver_type: "async fn f() { let mut s = String::new(); File::open(p)?.read_to_string(&mut s)?; }" => "`std::fs::File::read_to_string` blocks the executor thread until the I/O completes; use the `tokio::io::AsyncReadExt` method with `.await`, or move the work into `tokio::task::spawn_blocking` (assumed: nothing in view imports `File::open`";
}

accepts! {
    awaited_tokio_fs: "async fn f() { tokio::fs::read(p).await; }";
    tokio_full_path_unawaited: "async fn f() { let fut = tokio::time::sleep(d); }";
    bare_module_awaited: "async fn f() { fs::read(p).await?; }";
    let_bound_then_awaited: "async fn f() { let data = fs::read(p); let x = data.await; }";
    let_bound_then_joined: "async fn f() { let a = fs::read(p); let b = fs::read(q); let (a, b) = tokio::join!(a, b); }";
    let_bound_then_try_joined: "async fn f() { let a = sleep(d); tokio::try_join!(a, g()); }";
    let_bound_then_selected: "async fn f() { let t = sleep(d); tokio::pin!(t); tokio::select! { _ = &mut t => {} } }";
    let_bound_then_gathered: "async fn f() { let a = fs::read(p); gather!(a, b()).await; }";
    future_passed_to_timeout: "async fn f() { tokio::time::timeout(d, fs::read(p)).await; }";
    use_tokio_resolves: "async fn f() { use tokio::time::sleep; sleep(d); }";
    use_tokio_module: "mod m { use tokio::fs; async fn f() { let f = fs::read(p); drop(f); } }";
    spawn_blocking_closure: "async fn f() { tokio::task::spawn_blocking(move || std::fs::read(p)).await; }";
    spawn_blocking_closure_ending_a_block: "async fn f() { tokio::task::spawn_blocking({ let p = p.clone(); move || std::fs::read(p) }).await; }";
    spawn_blocking_let_bound_closure: "async fn f() { let work = move || std::fs::read(p); tokio::task::spawn_blocking(work).await; }";
    block_in_place_let_bound_closure: "async fn f() { let work = || std::thread::sleep(d); tokio::task::block_in_place(work); }";
    spawn_blocking_closure_in_parentheses: "async fn f() { tokio::task::spawn_blocking((move || std::fs::read(p))).await; }";
    block_in_place_closure: "async fn f() { tokio::task::block_in_place(|| std::thread::sleep(d)); }";
    thread_spawn_closure: "async fn f() { std::thread::spawn(move || { let rx = rx; rx.recv() }); }";
    thread_scope_off_the_executor: "async fn f() { tokio::task::spawn_blocking(|| std::thread::scope(|s| { s.spawn(|| std::fs::read(p)); })).await; }";
    join_handles_of_unknown_origin: "async fn f(hs: Vec<H>) { for h in hs { h.join(); } }";
    tokio_join_handles_awaited: "async fn f() { let mut hs = Vec::new(); hs.push(tokio::spawn(g())); for h in hs { h.await; } }";
    handle_spawn_blocking_method: "async fn f(h: Handle) { h.spawn_blocking(|| std::thread::sleep(d)); }";
    allow_statement: "async fn f() { #[allow_blocking] std::thread::sleep(d); }";
    allow_let: "async fn f() { #[allow_blocking] let s = std::fs::read_to_string(p); }";
    allow_expression: "async fn f() { let s = (#[allow_blocking] std::fs::read(p)); }";
    allow_item_in_module: "mod m { #[allow_blocking] async fn f() { std::thread::sleep(d); } }";
    allow_impl_fn: "impl S { #[allow_blocking] async fn f() { std::thread::sleep(d); } }";
    nested_sync_fn: "async fn f() { fn g() { std::thread::sleep(d); } g(); }";
    sync_fn_in_module: "mod m { fn load() -> String { std::fs::read_to_string(p).unwrap() } async fn f() { load(); } }";
    std_mutex_lock: "async fn f(m: &std::sync::Mutex<u8>) { *m.lock().unwrap() += 1; }";
    strings_and_comments: "async fn f() { let s = \"std::thread::sleep(d)\"; /* std::fs::read(p) */ }";
    type_paths: "async fn f(_: std::fs::File, _: std::sync::mpsc::Receiver<u8>) -> std::io::Result<()> { Ok(()) }";
    local_fn_shadows: "async fn f() { fn sleep(_: u64) {} sleep(5); }";
    module_fn_shadows: "mod m { fn sleep(_: u64) {} async fn f() { sleep(5); } }";
    module_async_fn_shadows: "mod m { mod x { pub async fn sleep() {} } async fn f() { x::sleep().await; } }";
    vec_join_arity: "async fn f(v: Vec<String>) { v.join(\",\"); }";
    str_slice_join: "async fn f() { [\"a\", \"b\"].join(\"-\"); }";
    unknown_receiver_recv: "async fn f(rx: &mut tokio::sync::mpsc::Receiver<u8>) { rx.recv().await; }";
    awaited_method_on_blocking_looking_name: "async fn f(c: &Client) { c.get(u).send().await?.text().await?; }";
    tokio_channel_arity: "async fn f() { let (tx, mut rx) = mpsc::channel(8); rx.recv().await; }";
    tokio_command_awaited: "async fn f() { Command::new(\"git\").arg(\"x\").output().await?; }";
    tokio_file_awaited: "async fn f() { let mut f = File::open(p).await?; f.read_to_string(&mut s).await?; }";
    user_method_named_like_blocking: "mod m { struct Q; impl Q { fn blocking_send(&self, _: u8) {} } async fn f(q: Q) { q.blocking_send(1); } }";
    println_allowed: "async fn f() { println!(\"done\"); eprintln!(\"{}\", 1); }";
    unknown_macro_opaque: "async fn f() { sqlx::query!(\"select std::fs::read(p)\"); }";
    closure_param_shadows: "async fn f() { let rx = std::sync::mpsc::channel::<u8>(); (|rx: u8| rx)(1); }";
    for_loop_unknown: "async fn f(paths: Vec<P>) { for p in paths { tokio::fs::read(p).await; } }";
    no_guess_for_a_closure_value: "async fn f(n: u64) { let naps: Vec<_> = (0..n).map(|_| sleep(d)).collect(); }";
    no_guess_for_an_unknown_fn_argument: "async fn f(p: P) { reads.push(fs::read(p)); labelled(sleep(d)); }";
    no_guess_for_a_binding_handed_on: "async fn f(p: P) { let read = fs::read(p); reads.push(read); }";
    no_guess_for_a_tail_value: "async fn f(p: P) -> X { fs::read(p) }";
    no_guess_through_a_wrapper_of_unknown_use: "async fn f(p: P) { queue.push(Box::pin(fs::read(p))); }";
    tempfile_in_spawn_blocking: "async fn f() { tokio::task::spawn_blocking(|| tempfile::tempdir()).await; }";
    walkdir_in_spawn_blocking: "async fn f() { tokio::task::spawn_blocking(move || { for e in walkdir::WalkDir::new(p) { drop(e); } }).await; }";
    local_struct_named_walkdir: "mod m { struct WalkDir; impl WalkDir { fn new(_: &str) -> Self { WalkDir } } async fn f() { for e in WalkDir::new(p).into_iter() { drop(e); } } }";
    into_iter_of_unknown_receiver: "async fn f(v: Vec<u8>) { for x in v.into_iter() { drop(x); } }";
    a_full_path_needs_no_guess_nor_evidence: "async fn f(p: P) { reads.push(tokio::fs::read(p)); }";
}

/// `std::thread::scope` waits for every scoped thread, so the call blocks;
/// the threads' own closures run off the executor and add nothing.
#[test]
fn thread_scope_is_one_finding() {
    let found =
        findings("async fn f() { std::thread::scope(|s| { s.spawn(|| std::fs::read(p)); }); }");
    assert_eq!(
        found,
        [
            "`std::thread::scope` blocks the executor thread until every thread spawned in the scope \
          has finished; use a `tokio::task::JoinSet` of tasks, or move the work into \
          `tokio::task::spawn_blocking`"
        ]
    );
}

/// A walk's explicit `into_iter()` is the finding; the loop over the
/// iterator it returns adds none.
#[test]
fn walkdir_into_iter_in_a_for_loop_is_one_finding() {
    let found = findings(
        "async fn f() { for e in walkdir::WalkDir::new(p).min_depth(1).into_iter() { drop(e); } }",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("`walkdir::WalkDir::into_iter` blocks"),
        "{found:?}"
    );
}

#[test]
fn a_full_std_path_is_a_finding_whatever_its_use() {
    let found = findings("async fn f(p: P) { reads.push(std::fs::read(p)); }");
    assert_eq!(
        found,
        [
            "`std::fs::read` blocks the executor thread on file-system I/O; use `tokio::fs::read(..).await`, \
          or move the work into `tokio::task::spawn_blocking`"
        ]
    );
}

#[test]
fn extra_and_allow_options() {
    let opts = CheckOptions::parse(quote!(
        extra = [legacy::load_config],
        allow = [std::thread::sleep]
    ))
    .unwrap();
    let found = findings_with(
        "async fn f() { legacy::load_config(); load_config(); std::thread::sleep(d); }",
        &opts,
    );
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].contains("`legacy::load_config` is listed as blocking"));
    let allow_prefix = CheckOptions::parse(quote!(allow = [std::fs])).unwrap();
    assert!(
        findings_with(
            "async fn f() { std::fs::read(p); std::fs::write(p, b); }",
            &allow_prefix
        )
        .is_empty()
    );
}

#[test]
fn all_findings_are_reported() {
    let found = findings(
        "async fn f() { std::thread::sleep(d); std::fs::read(p); let h = std::thread::spawn(g); h.join(); }",
    );
    assert_eq!(found.len(), 3, "{found:?}");
}

#[test]
fn gather_argument_is_a_future() {
    let expr: syn::Expr = syn::parse_str("fs::read(p)").unwrap();
    assert!(check_expr(&expr, &CheckOptions::default()).is_empty());
    let expr: syn::Expr = syn::parse_str("async { std::thread::sleep(d) }").unwrap();
    assert_eq!(check_expr(&expr, &CheckOptions::default()).len(), 1);
}

#[test]
fn check_block_and_check_fn_entry_points() {
    let block: syn::Block = syn::parse_str("{ std::fs::read(p); }").unwrap();
    assert_eq!(
        super::check_block(&block, &CheckOptions::default()).len(),
        1
    );
    let f: syn::ItemFn =
        syn::parse_str("fn f(rx: std::sync::mpsc::Receiver<u8>) { rx.recv(); }").unwrap();
    assert_eq!(
        super::check_fn(&f.sig, &f.block, &CheckOptions::default()).len(),
        1
    );
}

#[test]
fn catalogue_has_the_required_breadth() {
    use super::catalogue::CATALOGUE;
    assert!(CATALOGUE.len() >= 60, "{}", CATALOGUE.len());
    for needle in [
        "std::thread::sleep",
        "std::fs::read_dir",
        "std::io::copy",
        "std::net::ToSocketAddrs::to_socket_addrs",
        "std::process::Child::wait",
        "std::sync::Condvar::wait_timeout",
        "pollster::block_on",
        "async_std::task::block_on",
        "ureq::Request::call",
        "attohttpc::RequestBuilder::send",
        "mysql::Conn::new",
        "redis::Client::get_connection",
        "r2d2::Pool::get",
        "tokio::sync::RwLock::blocking_write",
        "tempfile::NamedTempFile::new",
        "walkdir::WalkDir::into_iter",
    ] {
        assert!(CATALOGUE.iter().any(|e| e.path == needle), "{needle}");
    }
    let mut paths: Vec<_> = CATALOGUE.iter().map(|e| e.path).collect();
    paths.sort_unstable();
    paths.dedup();
    assert_eq!(paths.len(), CATALOGUE.len(), "duplicate catalogue paths");
}

/// `BLOCKING_CATALOGUE.md` is generated from the catalogue; set
/// `TASKGROUP_BLESS=1` to rewrite it after changing the table.
#[test]
fn catalogue_markdown_is_up_to_date() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../BLOCKING_CATALOGUE.md");
    let fresh = super::catalogue::render_markdown();
    if std::env::var_os("TASKGROUP_BLESS").is_some() {
        std::fs::write(path, &fresh).expect("write BLOCKING_CATALOGUE.md");
        return;
    }
    let on_disk = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        on_disk == fresh,
        "BLOCKING_CATALOGUE.md differs from blocking/src/catalogue.rs; \
         run `TASKGROUP_BLESS=1 cargo test -p taskgroup-blocking catalogue` to regenerate it"
    );
}

/// Findings for the fn named `name` (or the `impl` holding it) of a file,
/// checked where it stands in the file, as the attribute does.
fn findings_in_file(src: &str, name: &str) -> Vec<String> {
    fn find<'f>(items: &'f [syn::Item], name: &str) -> Option<&'f syn::Item> {
        items.iter().find_map(|item| match item {
            syn::Item::Fn(f) if f.sig.ident == name => Some(item),
            syn::Item::Impl(i) => i
                .items
                .iter()
                .any(|it| matches!(it, syn::ImplItem::Fn(f) if f.sig.ident == name))
                .then_some(item),
            syn::Item::Mod(m) => m.content.as_ref().and_then(|(_, inner)| find(inner, name)),
            _ => None,
        })
    }
    let file: syn::File = syn::parse_str(src).expect("test source parses");
    let item = find(&file.items, name).expect("the named fn is in the file");
    let opts = CheckOptions::default();
    let mut checker = Checker::new(&opts);
    let view = super::FileView::of(&file);
    checker.check_annotated(item, view.locate(item).as_ref());
    checker.findings().iter().map(ToString::to_string).collect()
}

#[test]
fn file_level_use_items_resolve_names() {
    let found = findings_in_file(
        "use std::fs as disk; async fn f(p: &str) { let _n = nap(p); disk::read(p); }",
        "f",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("`std::fs::read` blocks"), "{found:?}");
    let tokio = findings_in_file(
        "use tokio::fs; async fn f(p: &str) { let r = fs::read(p); }",
        "f",
    );
    assert!(tokio.is_empty(), "{tokio:?}");
}

#[test]
fn enclosing_inline_module_is_in_view_and_the_file_top_is_not() {
    let src =
        "use tokio::time::sleep; mod m { use std::thread::sleep; async fn f() { sleep(d); } }";
    let found = findings_in_file(src, "f");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("`std::thread::sleep`"), "{found:?}");
    let src =
        "use std::thread::sleep; mod m { use tokio::time::sleep; async fn f() { sleep(d); } }";
    assert!(findings_in_file(src, "f").is_empty());
}

#[test]
fn file_level_fns_and_structs_are_declarations() {
    let local = findings_in_file(
        "fn read_to_string(b: &[u8]) -> String { todo!() } async fn f(b: Vec<u8>) { read_to_string(&b); }",
        "f",
    );
    assert!(local.is_empty(), "{local:?}");
    let field = findings_in_file(
        "struct Jobs { rx: std::sync::mpsc::Receiver<u8> } impl Jobs { async fn f(&self) { self.rx.recv(); } }",
        "f",
    );
    assert_eq!(field.len(), 1, "{field:?}");
    assert!(
        field[0].starts_with("`std::sync::mpsc::Receiver::recv`"),
        "{field:?}"
    );
}

#[test]
fn an_item_the_file_does_not_hold_is_checked_alone() {
    let file: syn::File = syn::parse_str("use tokio::fs; async fn f() {}").unwrap();
    let generated: syn::Item = syn::parse_str("async fn f() { fs::read(p); }").unwrap();
    assert!(super::FileView::of(&file).locate(&generated).is_none());
    let found = check_item(&generated, &CheckOptions::default());
    assert_eq!(found.len(), 1, "{found:?}");
}
