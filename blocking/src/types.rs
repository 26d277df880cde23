//! Where a receiver's type becomes visible without type information.
//!
//! Method names such as `recv`, `join` or `execute` are ambiguous, so a method
//! is flagged only when its receiver was built by a known constructor (in the
//! same chain or bound by `let`), or annotated with a known type. These tables
//! say which calls produce which tracked types.

use std::collections::HashSet;
use std::sync::OnceLock;

/// A call that produces a tracked type (or a pair, for `channel()`).
pub(crate) struct Source {
    pub(crate) path: &'static str,
    /// The argument count when it disambiguates (std's `channel()` takes none,
    /// tokio's `channel(16)` takes one).
    pub(crate) args: Option<usize>,
    pub(crate) yields: Yields,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Yields {
    One(&'static str),
    Pair(&'static str, &'static str),
    /// A collection of the tracked type (`Vec<JoinHandle<T>>`): its
    /// elements, met by iteration or by `pop()`, have the type.
    Each(&'static str),
}

/// A method on a tracked type that yields another tracked type (builders).
pub(crate) struct Step {
    pub(crate) on: &'static str,
    pub(crate) methods: &'static [&'static str],
    pub(crate) yields: Yields,
}

const fn src(path: &'static str, yields: &'static str) -> Source {
    Source {
        path,
        args: None,
        yields: Yields::One(yields),
    }
}

const fn step(on: &'static str, methods: &'static [&'static str], yields: &'static str) -> Step {
    Step {
        on,
        methods,
        yields: Yields::One(yields),
    }
}

const FILE: &str = "std::fs::File";
const RB_REQ: &str = "reqwest::blocking::RequestBuilder";
const RB_CLIENT: &str = "reqwest::blocking::Client";

#[rustfmt::skip]
pub(crate) static SOURCES: &[Source] = &[
    src("std::fs::File::open", FILE),
    src("std::fs::File::create", FILE),
    src("std::fs::File::create_new", FILE),
    src("std::fs::File::options", "std::fs::OpenOptions"),
    src("std::fs::OpenOptions::new", "std::fs::OpenOptions"),
    src("std::net::TcpStream::connect", "std::net::TcpStream"),
    src("std::net::TcpStream::connect_timeout", "std::net::TcpStream"),
    src("std::net::TcpListener::bind", "std::net::TcpListener"),
    src("std::net::UdpSocket::bind", "std::net::UdpSocket"),
    src("std::os::unix::net::UnixStream::connect", "std::os::unix::net::UnixStream"),
    src("std::process::Command::new", "std::process::Command"),
    Source { path: "std::sync::mpsc::channel", args: Some(0), yields: Yields::Pair("std::sync::mpsc::Sender", "std::sync::mpsc::Receiver") },
    Source { path: "std::sync::mpsc::sync_channel", args: Some(1), yields: Yields::Pair("std::sync::mpsc::SyncSender", "std::sync::mpsc::Receiver") },
    src("std::thread::spawn", "std::thread::JoinHandle"),
    src("std::thread::Builder::new", "std::thread::Builder"),
    src("std::sync::Barrier::new", "std::sync::Barrier"),
    src("std::sync::Condvar::new", "std::sync::Condvar"),
    src("std::io::stdin", "std::io::Stdin"),
    src("std::path::Path::new", "std::path::Path"),
    src("std::path::PathBuf::from", "std::path::PathBuf"),
    src("walkdir::WalkDir::new", "walkdir::WalkDir"),
    src("tokio::runtime::Runtime::new", "tokio::runtime::Runtime"),
    src("tokio::runtime::Builder::new_multi_thread", "tokio::runtime::Builder"),
    src("tokio::runtime::Builder::new_current_thread", "tokio::runtime::Builder"),
    src("tokio::runtime::Handle::current", "tokio::runtime::Handle"),
    src("tokio::runtime::Handle::try_current", "tokio::runtime::Handle"),
    src("reqwest::blocking::Client::new", RB_CLIENT),
    src("reqwest::blocking::Client::builder", "reqwest::blocking::ClientBuilder"),
    src("reqwest::blocking::get", "reqwest::blocking::Response"),
    src("ureq::get", "ureq::Request"),
    src("ureq::post", "ureq::Request"),
    src("ureq::put", "ureq::Request"),
    src("ureq::delete", "ureq::Request"),
    src("ureq::request", "ureq::Request"),
    src("ureq::agent", "ureq::Agent"),
    src("ureq::AgentBuilder::new", "ureq::AgentBuilder"),
    src("attohttpc::get", "attohttpc::RequestBuilder"),
    src("attohttpc::post", "attohttpc::RequestBuilder"),
    src("attohttpc::put", "attohttpc::RequestBuilder"),
    src("attohttpc::delete", "attohttpc::RequestBuilder"),
    src("postgres::Client::connect", "postgres::Client"),
    src("rusqlite::Connection::open", "rusqlite::Connection"),
    src("rusqlite::Connection::open_in_memory", "rusqlite::Connection"),
    src("mysql::Conn::new", "mysql::Conn"),
    src("mysql::Pool::new", "mysql::Pool"),
    src("redis::Client::open", "redis::Client"),
    src("redis::cmd", "redis::Cmd"),
    src("r2d2::Pool::new", "r2d2::Pool"),
    src("r2d2::Pool::builder", "r2d2::Builder"),
    src("diesel::PgConnection::establish", "diesel::PgConnection"),
    src("diesel::SqliteConnection::establish", "diesel::SqliteConnection"),
    src("diesel::MysqlConnection::establish", "diesel::MysqlConnection"),
];

#[rustfmt::skip]
pub(crate) static STEPS: &[Step] = &[
    step("std::fs::OpenOptions", &["read", "write", "append", "create", "truncate", "create_new", "mode"], "std::fs::OpenOptions"),
    step("std::fs::OpenOptions", &["open"], FILE),
    step("std::process::Command", &["arg", "args", "env", "envs", "env_remove", "env_clear", "current_dir", "stdin", "stdout", "stderr"], "std::process::Command"),
    step("std::process::Command", &["spawn"], "std::process::Child"),
    Step { on: "std::net::TcpListener", methods: &["accept"], yields: Yields::Pair("std::net::TcpStream", "std::net::SocketAddr") },
    step("std::net::TcpListener", &["incoming"], "std::net::TcpStream"),
    step("std::net::TcpStream", &["try_clone"], "std::net::TcpStream"),
    step("std::fs::File", &["try_clone"], FILE),
    step("std::path::Path", &["join", "with_extension", "with_file_name", "to_path_buf"], "std::path::PathBuf"),
    step("std::path::PathBuf", &["join", "with_extension", "with_file_name"], "std::path::PathBuf"),
    step("walkdir::WalkDir", &["min_depth", "max_depth", "follow_links", "follow_root_links", "max_open", "sort_by", "sort_by_key", "sort_by_file_name", "contents_first", "same_file_system"], "walkdir::WalkDir"),
    step("std::thread::Builder", &["name", "stack_size"], "std::thread::Builder"),
    step("std::thread::Builder", &["spawn"], "std::thread::JoinHandle"),
    step("tokio::runtime::Builder", &["enable_all", "enable_io", "enable_time", "worker_threads", "thread_name"], "tokio::runtime::Builder"),
    step("tokio::runtime::Builder", &["build"], "tokio::runtime::Runtime"),
    step("tokio::runtime::Runtime", &["handle"], "tokio::runtime::Handle"),
    step("reqwest::blocking::ClientBuilder", &["timeout", "user_agent", "default_headers", "connect_timeout", "gzip"], "reqwest::blocking::ClientBuilder"),
    step("reqwest::blocking::ClientBuilder", &["build"], RB_CLIENT),
    step(RB_CLIENT, &["get", "post", "put", "delete", "patch", "head", "request"], RB_REQ),
    step(RB_REQ, &["header", "headers", "json", "form", "query", "body", "bearer_auth", "basic_auth", "timeout"], RB_REQ),
    step(RB_REQ, &["send"], "reqwest::blocking::Response"),
    step("reqwest::blocking::Response", &["error_for_status"], "reqwest::blocking::Response"),
    step("ureq::Agent", &["get", "post", "put", "delete", "request"], "ureq::Request"),
    step("ureq::AgentBuilder", &["timeout", "timeout_read", "timeout_connect", "user_agent"], "ureq::AgentBuilder"),
    step("ureq::AgentBuilder", &["build"], "ureq::Agent"),
    step("ureq::Request", &["set", "query", "timeout"], "ureq::Request"),
    step("attohttpc::RequestBuilder", &["header", "json", "param", "params", "timeout", "bearer_auth", "text"], "attohttpc::RequestBuilder"),
    step("postgres::Client", &["transaction"], "postgres::Transaction"),
    step("rusqlite::Connection", &["prepare", "prepare_cached"], "rusqlite::Statement"),
    step("rusqlite::Connection", &["transaction", "unchecked_transaction"], "rusqlite::Transaction"),
    step("mysql::Pool", &["get_conn"], "mysql::PooledConn"),
    step("redis::Client", &["get_connection"], "redis::Connection"),
    step("redis::Cmd", &["arg"], "redis::Cmd"),
    step("r2d2::Builder", &["max_size", "min_idle", "connection_timeout"], "r2d2::Builder"),
    step("r2d2::Builder", &["build"], "r2d2::Pool"),
    step("r2d2::Pool", &["get"], "r2d2::PooledConnection"),
];

/// Wrappers whose value behaves like the wrapped one for our purposes:
/// `Arc::new(Mutex::new(conn))` still holds a blocking connection.
pub(crate) const TRANSPARENT_CALLS: &[&str] = &[
    "Arc::new",
    "Rc::new",
    "Box::new",
    "Mutex::new",
    "RwLock::new",
    "RefCell::new",
    "BufReader::new",
    "BufWriter::new",
    "LineWriter::new",
    "Some",
    "Ok",
];

/// Generic type wrappers looked through in annotations (`&Arc<Mutex<Connection>>`).
pub(crate) const TRANSPARENT_TYPES: &[&str] = &[
    "Arc",
    "Rc",
    "Box",
    "Mutex",
    "RwLock",
    "RefCell",
    "BufReader",
    "BufWriter",
    "LineWriter",
    "MutexGuard",
    "Option",
    "Result",
];

/// Collections whose element type is tracked (`Vec<JoinHandle<T>>`).
pub(crate) const COLLECTIONS: &[&str] = &[
    "Vec",
    "VecDeque",
    "LinkedList",
    "HashSet",
    "BTreeSet",
    "BinaryHeap",
];

/// Methods on a collection (or iterator over it) that keep the element type.
pub(crate) const ITERATION: &[&str] = &["iter", "into_iter", "iter_mut", "drain", "collect", "rev"];

/// Methods on a collection (or iterator) that yield one element.
pub(crate) const ELEMENT: &[&str] = &[
    "pop",
    "pop_front",
    "pop_back",
    "remove",
    "swap_remove",
    "first",
    "last",
    "get",
    "get_mut",
    "next",
    "next_back",
];

/// Methods whose closure argument takes one element as its first parameter.
pub(crate) const PER_ELEMENT: &[&str] = &[
    "map",
    "for_each",
    "filter",
    "filter_map",
    "flat_map",
    "inspect",
    "all",
    "any",
    "find",
    "find_map",
    "position",
    "try_for_each",
    "take_while",
    "skip_while",
];

/// Methods that add their one argument to a collection.
pub(crate) const ADD: &[&str] = &["push", "push_back", "push_front", "insert"];

/// Methods that keep the receiver's tracked type (`?`-like unwrapping,
/// locking, cloning). `read`/`write` only without arguments (lock guards).
pub(crate) const TRANSPARENT_METHODS: &[(&str, Option<usize>)] = &[
    ("unwrap", Some(0)),
    ("ok", Some(0)),
    ("expect", Some(1)),
    ("lock", Some(0)),
    ("read", Some(0)),
    ("write", Some(0)),
    ("clone", Some(0)),
    ("as_ref", Some(0)),
    ("as_mut", Some(0)),
    ("borrow", Some(0)),
    ("borrow_mut", Some(0)),
    ("get_mut", Some(0)),
    ("by_ref", Some(0)),
    ("context", Some(1)),
    ("with_context", Some(1)),
    ("map_err", Some(1)),
    ("unwrap_or_else", Some(1)),
];

/// Bare std module names assumed to mean std in an unawaited call path
/// (`thread::sleep`), mapped to their full path.
pub(crate) const STD_MODULES: &[(&str, &str)] = &[
    ("thread", "std::thread"),
    ("fs", "std::fs"),
    ("net", "std::net"),
    ("process", "std::process"),
    ("io", "std::io"),
    ("mpsc", "std::sync::mpsc"),
    ("path", "std::path"),
];

/// Bare std type names assumed to mean std when unresolved and unawaited
/// (`File::open(p)?`: tokio's would have to be awaited).
pub(crate) const STD_TYPES: &[(&str, &str)] = &[
    ("File", "std::fs::File"),
    ("OpenOptions", "std::fs::OpenOptions"),
    ("TcpStream", "std::net::TcpStream"),
    ("TcpListener", "std::net::TcpListener"),
    ("UdpSocket", "std::net::UdpSocket"),
    ("Command", "std::process::Command"),
    ("Child", "std::process::Child"),
    ("Barrier", "std::sync::Barrier"),
    ("Condvar", "std::sync::Condvar"),
    ("Receiver", "std::sync::mpsc::Receiver"),
    ("SyncSender", "std::sync::mpsc::SyncSender"),
    ("JoinHandle", "std::thread::JoinHandle"),
    ("Stdin", "std::io::Stdin"),
    ("StdinLock", "std::io::Stdin"),
    ("Path", "std::path::Path"),
    ("PathBuf", "std::path::PathBuf"),
];

/// Re-exports and module paths that name the same tracked type.
pub(crate) const TYPE_ALIASES: &[(&str, &str)] = &[
    ("std::io::StdinLock", "std::io::Stdin"),
    ("diesel::pg::PgConnection", "diesel::PgConnection"),
    (
        "diesel::sqlite::SqliteConnection",
        "diesel::SqliteConnection",
    ),
    ("diesel::mysql::MysqlConnection", "diesel::MysqlConnection"),
    ("diesel::prelude::PgConnection", "diesel::PgConnection"),
    (
        "diesel::prelude::SqliteConnection",
        "diesel::SqliteConnection",
    ),
    (
        "diesel::prelude::MysqlConnection",
        "diesel::MysqlConnection",
    ),
    ("mysql::prelude::Queryable", "mysql::Conn"),
    ("std::sync::mpsc::IntoIter", "std::sync::mpsc::Receiver"),
];

/// Canonicalises a type path through [`TYPE_ALIASES`].
pub(crate) fn canonical(path: &str) -> &str {
    TYPE_ALIASES
        .iter()
        .find(|(alias, _)| *alias == path)
        .map_or(path, |(_, canon)| canon)
}

/// The tracked type named by `ty`, as the tables' `&'static str`.
pub(crate) fn tracked(ty: &str) -> Option<&'static str> {
    static TRACKED: OnceLock<HashSet<&'static str>> = OnceLock::new();
    let set = TRACKED.get_or_init(|| {
        use crate::catalogue::{CATALOGUE, Kind};
        let mut set = HashSet::new();
        for e in CATALOGUE {
            match e.kind {
                Kind::Method { on, .. } => set.extend(on.iter().copied()),
                Kind::QueryMethod { conns } => set.extend(conns.iter().copied()),
                _ => {}
            }
        }
        let mut add = |y: Yields| match y {
            Yields::One(t) => {
                set.insert(t);
            }
            Yields::Pair(a, b) => set.extend([a, b]),
            Yields::Each(t) => {
                set.insert(t);
            }
        };
        SOURCES.iter().for_each(|s| add(s.yields));
        for s in STEPS {
            add(Yields::One(s.on));
            add(s.yields);
        }
        set
    });
    set.get(canonical(ty)).copied()
}
