//! A small web crawler: start a local test site, then crawl it with at most
//! three requests at a time and a time limit per page. Twice:
//!
//! - fail-fast (the default): the first broken page cancels the whole crawl,
//!   as asyncio's `TaskGroup` does;
//! - settled (supervisor mode): every page is tried and every failure is
//!   collected, like `gather(..., return_exceptions=True)` for a crawl that
//!   discovers its work as it goes.
//!
//! Run with `cargo run --example crawler`.

use std::collections::HashSet;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::{StatusCode, Uri};
use futures_util::StreamExt as _;
use futures_util::stream::FuturesUnordered;
use http_body_util::{BodyExt as _, Empty};
use hyper::body::Bytes;
use hyper_util::client::legacy::{Client, connect::HttpConnector};
use hyper_util::rt::TokioExecutor;
use taskgroup::Builder;

/// One page of the test site: how long the server takes to answer it, the
/// status it answers with, and the pages it links to.
struct Page {
    path: &'static str,
    delay_ms: u64,
    status: u16,
    links: &'static [&'static str],
}

#[rustfmt::skip]
const SITE: &[Page] = &[
    Page { path: "/",                delay_ms: 20,    status: 200, links: &["/docs", "/blog", "/about"] },
    Page { path: "/docs",            delay_ms: 40,    status: 200, links: &["/docs/install", "/docs/api"] },
    Page { path: "/blog",            delay_ms: 70,    status: 200, links: &["/blog/first-post", "/blog/slow-post"] },
    Page { path: "/about",           delay_ms: 60,    status: 200, links: &["/about/team", "/about/jobs"] },
    Page { path: "/docs/install",    delay_ms: 40,    status: 200, links: &["/"] },
    Page { path: "/docs/api",        delay_ms: 30,    status: 500, links: &[] },
    Page { path: "/blog/first-post", delay_ms: 40,    status: 200, links: &["/blog"] },
    Page { path: "/blog/slow-post",  delay_ms: 5_000, status: 200, links: &[] },
    Page { path: "/about/team",      delay_ms: 40,    status: 200, links: &["/about"] },
    Page { path: "/about/jobs",      delay_ms: 30,    status: 404, links: &[] }, // a broken link
];

/// At most this many requests in flight, so the crawl is polite to the site.
const LIMIT: usize = 3;
/// A page that takes longer than this is a failure of that page.
const PAGE_TIMEOUT: Duration = Duration::from_millis(250);
/// A bound on the whole crawl, whatever happens.
const CRAWL_DEADLINE: Duration = Duration::from_secs(10);

#[tokio::main]
async fn main() -> std::io::Result<()> {
    // Port 0: the OS picks a free port, so the example never collides.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    println!("== serving the test site at {base}");

    // The server runs only while the crawls do: when they finish, `select!`
    // drops the server's future and it stops accepting connections.
    tokio::select! {
        result = axum::serve(listener, axum::Router::new().fallback(serve_page)) => result,
        () = crawl_twice(&base) => Ok(()),
    }
}

async fn crawl_twice(base: &str) {
    println!(
        "\n== crawl 1: fail-fast (limit {LIMIT}, {} ms per page)",
        PAGE_TIMEOUT.as_millis()
    );
    let builder = Builder::new().limit(LIMIT).timeout(CRAWL_DEADLINE);
    crawl(builder, base).await;

    println!("\n== crawl 2: settled (supervisor mode: a failure cancels nothing)");
    crawl(builder.supervisor(), base).await;
}

/// Crawls the site from `/` with a group configured by `builder`, then prints
/// what happened to each page and the group's result.
async fn crawl(builder: Builder, base: &str) {
    let client: Client<HttpConnector, Empty<Bytes>> =
        Client::builder(TokioExecutor::new()).build_http();
    let log = Log::default();
    let start = Instant::now();

    let result = builder
        .scope(|tg| {
            let log = log.clone();
            async move {
                // The body is the crawl's frontier: it spawns one task per new
                // link and reads the links each finished page found.
                let mut seen = HashSet::new();
                let mut fetching = FuturesUnordered::new();
                let mut to_visit = vec!["/".to_string()];
                loop {
                    for path in to_visit.drain(..) {
                        if seen.insert(path.clone()) {
                            log.set(&path, Status::Queued);
                            let url = format!("{base}{path}");
                            let page = visit(client.clone(), url, path.clone(), log.clone());
                            fetching.push(tg.spawn_named(path, page)?);
                        }
                    }
                    match fetching.next().await {
                        // A page is done: its links are the next work.
                        Some(Ok(links)) => to_visit = links,
                        // A page failed (supervisor mode goes on; in fail-fast
                        // mode the body is already being cancelled). Its
                        // error is in the group's ErrorGroup, so skip it here.
                        Some(Err(_cancelled)) => {}
                        None => break,
                    }
                }
                Ok(seen.len())
            }
        })
        .await;

    log.print();
    match result {
        Ok(pages) => println!("  the whole site ({pages} pages) was crawled"),
        // `{:#}` lists every failure with its task's name (plain `{}` is one line).
        Err(errors) => println!(
            "  ErrorGroup: {}",
            format!("{errors:#}").replace('\n', "\n  ")
        ),
    }
    println!("  (took {} ms)", start.elapsed().as_millis());
}

/// Fetches one page and returns the links on it. Records its progress in
/// `log`: what is left `Queued` or `Fetching` at the end was cancelled.
async fn visit(
    client: Client<HttpConnector, Empty<Bytes>>,
    url: String,
    path: String,
    log: Log,
) -> Result<Vec<String>, CrawlError> {
    // This line runs only once the group's limit lets the task start.
    log.set(&path, Status::Fetching);
    let start = Instant::now();
    let result = tokio::time::timeout(PAGE_TIMEOUT, fetch(&client, &url))
        .await
        .unwrap_or(Err(CrawlError::TimedOut(PAGE_TIMEOUT)));
    log.set(
        &path,
        match &result {
            Ok(links) => Status::Done(start.elapsed(), links.len()),
            Err(error) => Status::Failed(error.to_string()),
        },
    );
    result
}

async fn fetch(
    client: &Client<HttpConnector, Empty<Bytes>>,
    url: &str,
) -> Result<Vec<String>, CrawlError> {
    let uri: Uri = url
        .parse()
        .map_err(|e| CrawlError::Network(format!("{e}")))?;
    let response = client
        .get(uri)
        .await
        .map_err(|e| CrawlError::Network(e.to_string()))?;
    if !response.status().is_success() {
        return Err(CrawlError::Status(response.status()));
    }
    let body = response.into_body().collect().await;
    let body = body
        .map_err(|e| CrawlError::Network(e.to_string()))?
        .to_bytes();
    Ok(links_in(&String::from_utf8_lossy(&body)))
}

/// The targets of `href="..."` in a page: enough HTML parsing for this site.
fn links_in(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_string)
        .collect()
}

#[derive(Debug)]
enum CrawlError {
    Status(StatusCode),
    TimedOut(Duration),
    Network(String),
}

impl fmt::Display for CrawlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CrawlError::Status(status) => write!(f, "HTTP {status}"),
            CrawlError::TimedOut(after) => write!(f, "no answer within {} ms", after.as_millis()),
            CrawlError::Network(error) => write!(f, "network error: {error}"),
        }
    }
}

impl std::error::Error for CrawlError {}

// --- What happened to each page ----------------------------------------------

#[derive(Clone)]
enum Status {
    Queued,
    Fetching,
    Done(Duration, usize),
    Failed(String),
}

/// Each page's status, in the order the crawl found the pages.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<(String, Status)>>>);

impl Log {
    fn set(&self, path: &str, status: Status) {
        let mut pages = self.0.lock().unwrap();
        match pages.iter_mut().find(|(p, _)| p == path) {
            Some(entry) => entry.1 = status,
            None => pages.push((path.to_string(), status)),
        }
    }

    fn print(&self) {
        for (path, status) in self.0.lock().unwrap().iter() {
            let (verdict, detail) = match status {
                Status::Done(took, 1) => ("ok", format!("{} ms, 1 link", took.as_millis())),
                Status::Done(took, n) => ("ok", format!("{} ms, {n} links", took.as_millis())),
                Status::Failed(error) => ("FAILED", error.clone()),
                Status::Fetching => ("cancelled", "while fetching".to_string()),
                Status::Queued => ("cancelled", "before it started (waiting for a slot)".into()),
            };
            println!("  {path:<18} {verdict:<10} {detail}");
        }
    }
}

// --- The test site ----------------------------------------------------------

/// Answers every request from `SITE`: after the page's delay, its status and
/// an HTML body linking to its pages. Unknown paths are 404.
async fn serve_page(uri: Uri) -> (StatusCode, axum::response::Html<String>) {
    let Some(page) = SITE.iter().find(|p| p.path == uri.path()) else {
        return (
            StatusCode::NOT_FOUND,
            "<h1>not found</h1>".to_string().into(),
        );
    };
    tokio::time::sleep(Duration::from_millis(page.delay_ms)).await;
    let links: String = page
        .links
        .iter()
        .map(|link| format!("<a href=\"{link}\">{link}</a>\n"))
        .collect();
    let status = StatusCode::from_u16(page.status).expect("a valid status in SITE");
    (status, format!("<h1>{}</h1>\n{links}", page.path).into())
}
