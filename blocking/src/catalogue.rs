//! The catalogue of known blocking APIs.
//!
//! This table is the single source of truth: the check matches against it and
//! `BLOCKING_CATALOGUE.md` (included in the README) is generated from it by
//! [`render_markdown`], with a test that fails when the two differ.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// How a catalogue entry is recognised in source code.
///
/// ```
/// use taskgroup_blocking::catalogue::{CATALOGUE, Kind};
///
/// let sleep = CATALOGUE.iter().find(|e| e.path == "std::thread::sleep").unwrap();
/// assert_eq!(sleep.kind, Kind::Function);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A free function, matched by its resolved path.
    Function,
    /// An associated function `Type::name(..)`, matched by its resolved path.
    AssociatedFunction,
    /// A method, matched when the receiver is visibly one of `on` and the
    /// argument count is `args` (when given), since method names are ambiguous.
    Method {
        on: &'static [&'static str],
        args: Option<usize>,
    },
    /// A method whose name alone marks a blocking bridge (`blocking_lock`,
    /// `block_on`), on any receiver.
    NamedMethod { args: Option<usize> },
    /// A method whose first argument is visibly a connection of one of `conns`
    /// (diesel's `RunQueryDsl::load(&mut conn)`).
    QueryMethod { conns: &'static [&'static str] },
}

/// One known blocking API.
///
/// ```
/// use taskgroup_blocking::catalogue::CATALOGUE;
///
/// let read = CATALOGUE.iter().find(|e| e.path == "std::fs::read").unwrap();
/// assert_eq!(read.instead, "`tokio::fs::read(..).await`");
/// assert!(read.offload);
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Entry {
    /// Canonical path, e.g. `std::thread::sleep` or `std::io::Read::read`.
    pub path: &'static str,
    pub kind: Kind,
    /// Why it blocks, phrased to follow the call's name in the error message.
    pub why: &'static str,
    /// The async alternative, phrased to follow "use".
    pub instead: &'static str,
    /// Whether `tokio::task::spawn_blocking` is also a sensible remedy.
    pub offload: bool,
    /// Whether an unresolved, unawaited bare call `name(..)` is assumed to be
    /// this entry (only for names that are distinctive enough).
    pub bare: bool,
}

impl Entry {
    /// The last path segment: the function or method name.
    ///
    /// ```
    /// use taskgroup_blocking::catalogue::CATALOGUE;
    ///
    /// assert_eq!(CATALOGUE[0].path, "std::thread::sleep");
    /// assert_eq!(CATALOGUE[0].name(), "sleep");
    /// ```
    pub fn name(&self) -> &'static str {
        self.path.rsplit("::").next().unwrap_or(self.path)
    }

    /// The error message for a call displayed as `shown`.
    ///
    /// ```
    /// use taskgroup_blocking::catalogue::CATALOGUE;
    ///
    /// assert_eq!(
    ///     CATALOGUE[0].message("std::thread::sleep"),
    ///     "`std::thread::sleep` blocks the executor thread; use `tokio::time::sleep(..).await`, \
    ///      or move the work into `tokio::task::spawn_blocking`"
    /// );
    /// ```
    pub fn message(&self, shown: &str) -> String {
        let mut msg = format!("`{shown}` {}; use {}", self.why, self.instead);
        if self.offload {
            msg.push_str(", or move the work into `tokio::task::spawn_blocking`");
        }
        msg
    }
}

const fn function(path: &'static str, why: &'static str, instead: &'static str) -> Entry {
    Entry {
        path,
        kind: Kind::Function,
        why,
        instead,
        offload: true,
        bare: false,
    }
}

const fn assoc(path: &'static str, why: &'static str, instead: &'static str) -> Entry {
    Entry {
        kind: Kind::AssociatedFunction,
        ..function(path, why, instead)
    }
}

const fn method(
    path: &'static str,
    on: &'static [&'static str],
    args: usize,
    why: &'static str,
    instead: &'static str,
) -> Entry {
    Entry {
        kind: Kind::Method {
            on,
            args: Some(args),
        },
        ..function(path, why, instead)
    }
}

const fn named(path: &'static str, args: usize, why: &'static str, instead: &'static str) -> Entry {
    Entry {
        kind: Kind::NamedMethod { args: Some(args) },
        offload: false,
        ..function(path, why, instead)
    }
}

const fn query(
    path: &'static str,
    conns: &'static [&'static str],
    why: &'static str,
    instead: &'static str,
) -> Entry {
    Entry {
        kind: Kind::QueryMethod { conns },
        ..function(path, why, instead)
    }
}

impl Entry {
    /// Marks the entry as matched by an unresolved, unawaited bare name.
    const fn bare(self) -> Entry {
        Entry { bare: true, ..self }
    }

    /// Marks the entry as one where `spawn_blocking` is no remedy.
    const fn no_offload(self) -> Entry {
        Entry {
            offload: false,
            ..self
        }
    }
}

const SLEEP: &str = "blocks the executor thread";
const PARK: &str = "parks the executor thread until another thread wakes it";
const FS: &str = "blocks the executor thread on file-system I/O";
const IO: &str = "blocks the executor thread until the I/O completes";
const STDIN: &str = "blocks the executor thread until input arrives on stdin";
const NET: &str = "blocks the executor thread on network I/O";
const DNS: &str = "blocks the executor thread on a DNS lookup";
const PROC: &str = "blocks the executor thread until the child process exits";
const CHAN: &str = "blocks the executor thread until a message arrives";
const SYNC: &str = "blocks the executor thread until another thread signals it";
const JOIN: &str = "blocks the executor thread until the OS thread finishes";
const BLOCK_ON: &str =
    "blocks the executor thread until the future completes, and can deadlock or panic there";
const TOKIO_BRIDGE: &str =
    "is tokio's bridge for synchronous code and panics or deadlocks inside async code";
const HTTP: &str = "blocks the executor thread on a synchronous HTTP request";
const HTTP_CLIENT: &str =
    "runs its own runtime and panics when created or dropped inside async code";
const DB: &str = "blocks the executor thread on a synchronous database round trip";
const POOL: &str = "blocks the executor thread while it waits for a free pooled connection";
// For file-system calls with no async version: the remedy is the offload itself.
const TEMPFILE: &str =
    "`tokio::task::spawn_blocking(..)` and await its handle (`tempfile` has no async API)";

// Receiver families for trait methods shared by several std types.
const READERS: &[&str] = &[
    "std::fs::File",
    "std::net::TcpStream",
    "std::io::Stdin",
    "std::process::ChildStdout",
    "std::process::ChildStderr",
    "std::os::unix::net::UnixStream",
];
const WRITERS: &[&str] = &[
    "std::fs::File",
    "std::net::TcpStream",
    "std::process::ChildStdin",
    "std::os::unix::net::UnixStream",
];
const LINE_READERS: &[&str] = &[
    "std::fs::File",
    "std::net::TcpStream",
    "std::process::ChildStdout",
];
const PATHS: &[&str] = &["std::path::Path", "std::path::PathBuf"];
const PG: &[&str] = &["postgres::Client", "postgres::Transaction"];
const SQLITE: &[&str] = &[
    "rusqlite::Connection",
    "rusqlite::Transaction",
    "r2d2::PooledConnection",
];
const MYSQL: &[&str] = &["mysql::Conn", "mysql::PooledConn"];
const REDIS: &[&str] = &["redis::Connection", "r2d2::PooledConnection"];
const DIESEL: &[&str] = &[
    "diesel::PgConnection",
    "diesel::SqliteConnection",
    "diesel::MysqlConnection",
    "r2d2::PooledConnection",
];

/// Every known blocking API. Keep entries grouped by area; the generated
/// markdown keeps this order. One line per entry reads as a table.
///
/// ```
/// use taskgroup_blocking::catalogue::CATALOGUE;
///
/// assert!(CATALOGUE.iter().any(|e| e.path == "std::net::TcpStream::connect"));
/// ```
#[rustfmt::skip]
pub static CATALOGUE: &[Entry] = &[
    // Threads and time.
    function("std::thread::sleep", SLEEP, "`tokio::time::sleep(..).await`").bare(),
    function("std::thread::sleep_ms", SLEEP, "`tokio::time::sleep(..).await`"),
    function("std::thread::park", PARK, "`tokio::sync::Notify::notified().await`"),
    function("std::thread::park_timeout", PARK, "`tokio::time::timeout(.., notify.notified()).await`"),
    function("std::thread::scope", "blocks the executor thread until every thread spawned in the scope has finished", "a `tokio::task::JoinSet` of tasks"),
    method("std::thread::JoinHandle::join", &["std::thread::JoinHandle", "std::thread::ScopedJoinHandle"], 0, JOIN, "`tokio::task::spawn_blocking(..)` and await its handle").no_offload(),
    // std::fs free functions.
    function("std::fs::read", FS, "`tokio::fs::read(..).await`"),
    function("std::fs::read_to_string", FS, "`tokio::fs::read_to_string(..).await`").bare(),
    function("std::fs::write", FS, "`tokio::fs::write(..).await`"),
    function("std::fs::read_dir", FS, "`tokio::fs::read_dir(..).await`").bare(),
    function("std::fs::create_dir", FS, "`tokio::fs::create_dir(..).await`"),
    function("std::fs::create_dir_all", FS, "`tokio::fs::create_dir_all(..).await`").bare(),
    function("std::fs::remove_file", FS, "`tokio::fs::remove_file(..).await`").bare(),
    function("std::fs::remove_dir", FS, "`tokio::fs::remove_dir(..).await`"),
    function("std::fs::remove_dir_all", FS, "`tokio::fs::remove_dir_all(..).await`").bare(),
    function("std::fs::copy", FS, "`tokio::fs::copy(..).await`"),
    function("std::fs::rename", FS, "`tokio::fs::rename(..).await`"),
    function("std::fs::metadata", FS, "`tokio::fs::metadata(..).await`"),
    function("std::fs::symlink_metadata", FS, "`tokio::fs::symlink_metadata(..).await`"),
    function("std::fs::canonicalize", FS, "`tokio::fs::canonicalize(..).await`"),
    function("std::fs::hard_link", FS, "`tokio::fs::hard_link(..).await`"),
    function("std::fs::read_link", FS, "`tokio::fs::read_link(..).await`"),
    function("std::fs::set_permissions", FS, "`tokio::fs::set_permissions(..).await`"),
    function("std::fs::exists", FS, "`tokio::fs::try_exists(..).await`"),
    // Files and paths.
    assoc("std::fs::File::open", FS, "`tokio::fs::File::open(..).await`"),
    assoc("std::fs::File::create", FS, "`tokio::fs::File::create(..).await`"),
    assoc("std::fs::File::create_new", FS, "`tokio::fs::File::create_new(..).await`"),
    method("std::fs::OpenOptions::open", &["std::fs::OpenOptions"], 1, FS, "`tokio::fs::OpenOptions::open(..).await`"),
    method("std::fs::File::sync_all", &["std::fs::File"], 0, FS, "`tokio::fs::File::sync_all().await`"),
    method("std::fs::File::set_len", &["std::fs::File"], 1, FS, "`tokio::fs::File::set_len(..).await`"),
    method("std::path::Path::exists", PATHS, 0, FS, "`tokio::fs::try_exists(..).await`"),
    method("std::path::Path::is_file", PATHS, 0, FS, "`tokio::fs::metadata(..).await?.is_file()`"),
    method("std::path::Path::is_dir", PATHS, 0, FS, "`tokio::fs::metadata(..).await?.is_dir()`"),
    method("std::path::Path::read_dir", PATHS, 0, FS, "`tokio::fs::read_dir(..).await`"),
    // Temporary files and directory walks: each creates or reads on disk.
    assoc("tempfile::NamedTempFile::new", FS, TEMPFILE).no_offload(),
    assoc("tempfile::NamedTempFile::new_in", FS, TEMPFILE).no_offload(),
    function("tempfile::tempfile", FS, TEMPFILE).no_offload(),
    function("tempfile::tempfile_in", FS, TEMPFILE).no_offload(),
    function("tempfile::tempdir", FS, TEMPFILE).no_offload(),
    function("tempfile::tempdir_in", FS, TEMPFILE).no_offload(),
    assoc("tempfile::TempDir::new", FS, TEMPFILE).no_offload(),
    method("walkdir::WalkDir::into_iter", &["walkdir::WalkDir"], 0, FS, "`tokio::fs::read_dir(..).await` on each directory"),
    // std::io readers and writers.
    method("std::io::Read::read", READERS, 1, IO, "the `tokio::io::AsyncReadExt` method with `.await`"),
    method("std::io::Read::read_exact", READERS, 1, IO, "the `tokio::io::AsyncReadExt` method with `.await`"),
    method("std::io::Read::read_to_end", READERS, 1, IO, "the `tokio::io::AsyncReadExt` method with `.await`"),
    method("std::io::Read::read_to_string", READERS, 1, IO, "the `tokio::io::AsyncReadExt` method with `.await`"),
    method("std::io::Write::write", WRITERS, 1, IO, "the `tokio::io::AsyncWriteExt` method with `.await`"),
    method("std::io::Write::write_all", WRITERS, 1, IO, "the `tokio::io::AsyncWriteExt` method with `.await`"),
    method("std::io::Write::flush", WRITERS, 0, IO, "`tokio::io::AsyncWriteExt::flush(..).await`"),
    method("std::io::Stdin::read_line", &["std::io::Stdin"], 1, STDIN, "`tokio::io::AsyncBufReadExt::read_line(..).await`"),
    method("std::io::Stdin::lines", &["std::io::Stdin"], 0, STDIN, "`tokio::io::AsyncBufReadExt::lines` and `next_line().await`"),
    method("std::io::BufRead::read_line", LINE_READERS, 1, IO, "`tokio::io::AsyncBufReadExt::read_line(..).await`"),
    method("std::io::BufRead::lines", LINE_READERS, 0, IO, "`tokio::io::AsyncBufReadExt::lines` and `next_line().await`"),
    function("std::io::read_to_string", IO, "`tokio::io::AsyncReadExt::read_to_string(..).await`"),
    function("std::io::copy", IO, "`tokio::io::copy(..).await`"),
    // std::net.
    assoc("std::net::TcpStream::connect", NET, "`tokio::net::TcpStream::connect(..).await`"),
    assoc("std::net::TcpStream::connect_timeout", NET, "`tokio::time::timeout(.., tokio::net::TcpStream::connect(..)).await`"),
    method("std::net::TcpListener::accept", &["std::net::TcpListener"], 0, NET, "`tokio::net::TcpListener::accept().await`"),
    method("std::net::TcpListener::incoming", &["std::net::TcpListener"], 0, NET, "a loop over `tokio::net::TcpListener::accept().await`"),
    method("std::net::UdpSocket::recv", &["std::net::UdpSocket"], 1, NET, "`tokio::net::UdpSocket::recv(..).await`"),
    method("std::net::UdpSocket::recv_from", &["std::net::UdpSocket"], 1, NET, "`tokio::net::UdpSocket::recv_from(..).await`"),
    method("std::net::UdpSocket::send", &["std::net::UdpSocket"], 1, NET, "`tokio::net::UdpSocket::send(..).await`"),
    method("std::net::UdpSocket::send_to", &["std::net::UdpSocket"], 2, NET, "`tokio::net::UdpSocket::send_to(..).await`"),
    named("std::net::ToSocketAddrs::to_socket_addrs", 0, DNS, "`tokio::net::lookup_host(..).await`"),
    // std::process.
    method("std::process::Command::output", &["std::process::Command"], 0, PROC, "`tokio::process::Command::output().await`"),
    method("std::process::Command::status", &["std::process::Command"], 0, PROC, "`tokio::process::Command::status().await`"),
    method("std::process::Child::wait", &["std::process::Child"], 0, PROC, "`tokio::process::Child::wait().await`"),
    method("std::process::Child::wait_with_output", &["std::process::Child"], 0, PROC, "`tokio::process::Child::wait_with_output().await`"),
    // Channels, joins and thread synchronisation.
    method("std::sync::mpsc::Receiver::recv", &["std::sync::mpsc::Receiver"], 0, CHAN, "`tokio::sync::mpsc` and `recv().await`"),
    method("std::sync::mpsc::Receiver::recv_timeout", &["std::sync::mpsc::Receiver"], 1, CHAN, "`tokio::time::timeout(.., rx.recv()).await` on a `tokio::sync::mpsc` channel"),
    method("std::sync::mpsc::Receiver::iter", &["std::sync::mpsc::Receiver"], 0, CHAN, "`tokio::sync::mpsc` and `while let Some(..) = rx.recv().await`"),
    method("std::sync::mpsc::SyncSender::send", &["std::sync::mpsc::SyncSender"], 1, "blocks the executor thread while the bounded channel is full", "`tokio::sync::mpsc::Sender::send(..).await`"),
    method("std::sync::Barrier::wait", &["std::sync::Barrier"], 0, SYNC, "`tokio::sync::Barrier::wait().await`"),
    method("std::sync::Condvar::wait", &["std::sync::Condvar"], 1, SYNC, "`tokio::sync::Notify::notified().await`"),
    method("std::sync::Condvar::wait_while", &["std::sync::Condvar"], 2, SYNC, "`tokio::sync::Notify` or a `tokio::sync::watch` channel"),
    method("std::sync::Condvar::wait_timeout", &["std::sync::Condvar"], 2, SYNC, "`tokio::time::timeout(.., notify.notified()).await`"),
    method("std::sync::Condvar::wait_timeout_while", &["std::sync::Condvar"], 3, SYNC, "`tokio::time::timeout` around a `tokio::sync::watch` wait"),
    // Executors' block_on.
    function("futures::executor::block_on", BLOCK_ON, "`.await` on the future").bare().no_offload(),
    function("futures::executor::block_on_stream", BLOCK_ON, "`futures::StreamExt::next(..).await`").no_offload(),
    function("futures_executor::block_on", BLOCK_ON, "`.await` on the future").no_offload(),
    function("futures_lite::future::block_on", BLOCK_ON, "`.await` on the future").no_offload(),
    function("pollster::block_on", BLOCK_ON, "`.await` on the future").no_offload(),
    function("async_std::task::block_on", BLOCK_ON, "`.await` on the future").no_offload(),
    function("smol::block_on", BLOCK_ON, "`.await` on the future").no_offload(),
    method("tokio::runtime::Handle::block_on", &["tokio::runtime::Handle"], 1, TOKIO_BRIDGE, "`.await` on the future").no_offload(),
    named("tokio::runtime::Runtime::block_on", 1, TOKIO_BRIDGE, "`.await` on the future"),
    named("pollster::FutureExt::block_on", 0, BLOCK_ON, "`.await` on the future"),
    // tokio's blocking bridges.
    named("tokio::sync::Mutex::blocking_lock", 0, TOKIO_BRIDGE, "`.lock().await`"),
    named("tokio::sync::Mutex::blocking_lock_owned", 0, TOKIO_BRIDGE, "`.lock_owned().await`"),
    named("tokio::sync::mpsc::Receiver::blocking_recv", 0, TOKIO_BRIDGE, "`.recv().await`"),
    named("tokio::sync::mpsc::Sender::blocking_send", 1, TOKIO_BRIDGE, "`.send(..).await`"),
    named("tokio::sync::RwLock::blocking_read", 0, TOKIO_BRIDGE, "`.read().await`"),
    named("tokio::sync::RwLock::blocking_write", 0, TOKIO_BRIDGE, "`.write().await`"),
    // Blocking HTTP clients.
    function("reqwest::blocking::get", HTTP, "`reqwest::get(..).await`"),
    assoc("reqwest::blocking::Client::new", HTTP_CLIENT, "`reqwest::Client::new()`").no_offload(),
    assoc("reqwest::blocking::Client::builder", HTTP_CLIENT, "`reqwest::Client::builder()`").no_offload(),
    method("reqwest::blocking::RequestBuilder::send", &["reqwest::blocking::RequestBuilder"], 0, HTTP, "`reqwest::RequestBuilder::send().await`"),
    method("reqwest::blocking::Response::text", &["reqwest::blocking::Response"], 0, HTTP, "`reqwest::Response::text().await`"),
    method("reqwest::blocking::Response::json", &["reqwest::blocking::Response"], 0, HTTP, "`reqwest::Response::json().await`"),
    method("reqwest::blocking::Response::bytes", &["reqwest::blocking::Response"], 0, HTTP, "`reqwest::Response::bytes().await`"),
    method("ureq::Request::call", &["ureq::Request"], 0, HTTP, "an async client such as `reqwest` with `.send().await`"),
    method("ureq::Request::send_json", &["ureq::Request"], 1, HTTP, "an async client such as `reqwest` with `.json(..).send().await`"),
    method("ureq::Request::send_string", &["ureq::Request"], 1, HTTP, "an async client such as `reqwest` with `.body(..).send().await`"),
    method("ureq::Request::send_form", &["ureq::Request"], 1, HTTP, "an async client such as `reqwest` with `.form(..).send().await`"),
    method("attohttpc::RequestBuilder::send", &["attohttpc::RequestBuilder"], 0, HTTP, "an async client such as `reqwest` with `.send().await`"),
    // Synchronous database clients.
    assoc("postgres::Client::connect", DB, "`tokio_postgres::connect(..).await`"),
    method("postgres::Client::query", PG, 2, DB, "`tokio_postgres::Client::query(..).await`"),
    method("postgres::Client::query_one", PG, 2, DB, "`tokio_postgres::Client::query_one(..).await`"),
    method("postgres::Client::query_opt", PG, 2, DB, "`tokio_postgres::Client::query_opt(..).await`"),
    method("postgres::Client::execute", PG, 2, DB, "`tokio_postgres::Client::execute(..).await`"),
    method("postgres::Client::batch_execute", PG, 1, DB, "`tokio_postgres::Client::batch_execute(..).await`"),
    assoc("rusqlite::Connection::open", DB, "`tokio_rusqlite::Connection::open(..).await`, or `sqlx`"),
    assoc("rusqlite::Connection::open_in_memory", DB, "`tokio_rusqlite::Connection::open_in_memory().await`, or `sqlx`"),
    method("rusqlite::Connection::execute", SQLITE, 2, DB, "`tokio_rusqlite::Connection::call(..).await`, or `sqlx`"),
    method("rusqlite::Connection::execute_batch", SQLITE, 1, DB, "`tokio_rusqlite::Connection::call(..).await`, or `sqlx`"),
    method("rusqlite::Connection::query_row", SQLITE, 3, DB, "`tokio_rusqlite::Connection::call(..).await`, or `sqlx`"),
    method("rusqlite::Connection::prepare", SQLITE, 1, DB, "`tokio_rusqlite::Connection::call(..).await`, or `sqlx`"),
    method("rusqlite::Statement::query_map", &["rusqlite::Statement"], 2, DB, "`tokio_rusqlite::Connection::call(..).await`, or `sqlx`"),
    method("rusqlite::Statement::execute", &["rusqlite::Statement"], 1, DB, "`tokio_rusqlite::Connection::call(..).await`, or `sqlx`"),
    assoc("mysql::Conn::new", DB, "`mysql_async::Conn::new(..).await`"),
    method("mysql::Pool::get_conn", &["mysql::Pool"], 0, POOL, "`mysql_async::Pool::get_conn().await`"),
    method("mysql::prelude::Queryable::query", MYSQL, 1, DB, "`mysql_async::prelude::Queryable::query(..).await`"),
    method("mysql::prelude::Queryable::query_drop", MYSQL, 1, DB, "`mysql_async::prelude::Queryable::query_drop(..).await`"),
    method("mysql::prelude::Queryable::exec", MYSQL, 2, DB, "`mysql_async::prelude::Queryable::exec(..).await`"),
    method("mysql::prelude::Queryable::exec_drop", MYSQL, 2, DB, "`mysql_async::prelude::Queryable::exec_drop(..).await`"),
    method("redis::Client::get_connection", &["redis::Client"], 0, DB, "`redis::Client::get_multiplexed_async_connection().await`"),
    method("redis::Commands::get", REDIS, 1, DB, "`redis::AsyncCommands::get(..).await`"),
    method("redis::Commands::set", REDIS, 2, DB, "`redis::AsyncCommands::set(..).await`"),
    method("redis::Commands::del", REDIS, 1, DB, "`redis::AsyncCommands::del(..).await`"),
    method("redis::Cmd::query", &["redis::Cmd"], 1, DB, "`redis::Cmd::query_async(..).await`"),
    method("r2d2::Pool::get", &["r2d2::Pool"], 0, POOL, "an async pool such as `deadpool` or `bb8` with `.get().await`"),
    assoc("diesel::PgConnection::establish", DB, "`diesel_async::AsyncPgConnection::establish(..).await`"),
    assoc("diesel::SqliteConnection::establish", DB, "`diesel_async::sync_connection_wrapper` with `.await`"),
    assoc("diesel::MysqlConnection::establish", DB, "`diesel_async::AsyncMysqlConnection::establish(..).await`"),
    query("diesel::RunQueryDsl::load", DIESEL, DB, "`diesel_async::RunQueryDsl::load(..).await`"),
    query("diesel::RunQueryDsl::execute", DIESEL, DB, "`diesel_async::RunQueryDsl::execute(..).await`"),
    query("diesel::RunQueryDsl::get_result", DIESEL, DB, "`diesel_async::RunQueryDsl::get_result(..).await`"),
    query("diesel::RunQueryDsl::get_results", DIESEL, DB, "`diesel_async::RunQueryDsl::get_results(..).await`"),
    query("diesel::RunQueryDsl::first", DIESEL, DB, "`diesel_async::RunQueryDsl::first(..).await`"),
];

/// Lookups built once from [`CATALOGUE`]: most calls in checked code are not
/// blocking, and a name test rules them out before any resolution work.
pub(crate) struct Index {
    /// Functions and associated functions by full path.
    pub(crate) by_path: HashMap<&'static str, &'static Entry>,
    /// Every entry's last segment (function or method name).
    pub(crate) names: HashSet<&'static str>,
    /// Method entries by method name, in catalogue order.
    pub(crate) methods: HashMap<&'static str, Vec<&'static Entry>>,
}

pub(crate) fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| Index {
        by_path: CATALOGUE
            .iter()
            .filter(|e| matches!(e.kind, Kind::Function | Kind::AssociatedFunction))
            .map(|e| (e.path, e))
            .collect(),
        names: CATALOGUE.iter().map(Entry::name).collect(),
        methods: CATALOGUE
            .iter()
            .filter(|e| !matches!(e.kind, Kind::Function | Kind::AssociatedFunction))
            .fold(HashMap::new(), |mut map, e| {
                map.entry(e.name()).or_insert_with(Vec::new).push(e);
                map
            }),
    })
}

/// Renders the catalogue as the markdown table of `BLOCKING_CATALOGUE.md`
/// (included in the README).
///
/// ```
/// let table = taskgroup_blocking::catalogue::render_markdown();
/// assert!(table.contains("| `std::thread::sleep` | function |"));
/// ```
pub fn render_markdown() -> String {
    use std::fmt::Write as _;

    let mut out = String::from(
        "<!-- Generated from blocking/src/catalogue.rs; \
         run `TASKGROUP_BLESS=1 cargo test -p taskgroup-blocking catalogue` to update. -->\n\n",
    );
    let _ = writeln!(
        out,
        "`#[deny_blocking]` knows {} blocking APIs. Functions match by their path, \
         resolved through the `use` items of the item, its file and its enclosing \
         inline modules; methods match only when the receiver is visibly of the listed \
         type (built in the same chain, bound by `let` from a known constructor, \
         annotated, a struct field, a helper's return value or a collection's element) \
         and the argument count fits; an awaited call counts as the async alternative. \
         Extend or trim the list per item \
         with `#[deny_blocking(extra = [my::sync_fn], allow = [std::fs::read])]`.\n",
        CATALOGUE.len()
    );
    out.push_str("| API | Kind | Why it blocks | Use instead |\n");
    out.push_str("|---|---|---|---|\n");
    for entry in CATALOGUE {
        let mut instead = entry.instead.to_string();
        if entry.offload {
            instead.push_str(", or `tokio::task::spawn_blocking`");
        }
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} |",
            entry.path,
            describe(entry.kind),
            entry.why,
            instead
        );
    }
    out
}

fn describe(kind: Kind) -> String {
    let arity = |args: Option<usize>| match args {
        Some(1) => " (1 argument)".to_string(),
        Some(n) => format!(" ({n} arguments)"),
        None => String::new(),
    };
    match kind {
        Kind::Function => "function".into(),
        Kind::AssociatedFunction => "associated function".into(),
        Kind::Method { on, args } => {
            let on: Vec<String> = on.iter().map(|t| format!("`{t}`")).collect();
            format!("method on {}{}", on.join(", "), arity(args))
        }
        Kind::NamedMethod { args } => format!("method, any receiver{}", arity(args)),
        Kind::QueryMethod { conns } => {
            let on: Vec<String> = conns.iter().map(|t| format!("`{t}`")).collect();
            format!("method taking `&mut` {}", on.join(", "))
        }
    }
}
