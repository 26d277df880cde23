//! Cost of the check over a generated 5,000-line module.
//!
//! Run: `cargo test -p taskgroup-macros --release -- --ignored bench_blocking_check --nocapture`

use std::fmt::Write as _;
use std::time::Instant;

use proc_macro2::TokenStream;

use super::super::expand_deny_blocking;

/// A module of service-shaped async fns, `lines` lines long.
fn generated_module(lines: usize) -> String {
    let mut src = String::from(
        "mod service {\n    use std::fs;\n    use std::sync::mpsc;\n    use tokio::time::sleep;\n",
    );
    let mut i = 0;
    while src.lines().count() < lines {
        let _ = write!(
            src,
            r#"
    async fn handler_{i}(path: &str, rx: mpsc::Receiver<u32>) -> std::io::Result<String> {{
        let cfg = tokio::fs::read_to_string(path).await?;
        let items: Vec<String> = cfg.lines().map(|l| l.trim().to_string()).collect();
        let (a, b) = tokio::join!(sleep(std::time::Duration::from_millis(1)), async {{ items.len() }});
        let raw = tokio::task::spawn_blocking(move || fs::read("data.bin")).await??;
        if raw.is_empty() {{ println!("empty {{}}", b); }}
        #[allow_blocking]
        let n = rx.recv().unwrap_or_default();
        let joined = items.join(",");
        Ok(format!("{{}}{{}}{{:?}}", joined, n, a))
    }}
"#
        );
        i += 1;
    }
    src.push_str("}\n");
    src
}

/// CPU time of this thread in nanoseconds (Linux), so a busy machine's
/// run-queue waits do not count; `None` elsewhere.
fn thread_cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}

/// Runs `f` 30 times; returns "min / median" of CPU time (wall time where
/// CPU time is unavailable), in milliseconds.
fn measure(f: &dyn Fn()) -> String {
    let mut cpu = Vec::new();
    let mut wall = Vec::new();
    for _ in 0..30 {
        let (c0, w0) = (thread_cpu_ns(), Instant::now());
        f();
        wall.push(w0.elapsed().as_secs_f64() * 1e3);
        if let (Some(c0), Some(c1)) = (c0, thread_cpu_ns()) {
            cpu.push(c1.saturating_sub(c0) as f64 / 1e6);
        }
    }
    let (kind, mut t) = if cpu.len() == wall.len() {
        ("cpu", cpu)
    } else {
        ("wall", wall)
    };
    t.sort_by(f64::total_cmp);
    format!(
        "{kind} min {:.1} ms / median {:.1} ms",
        t[0],
        t[t.len() / 2]
    )
}

#[test]
#[ignore = "benchmark; run with --release --ignored --nocapture"]
fn bench_blocking_check() {
    let src = generated_module(5_000);
    let lines = src.lines().count();
    let tokens: TokenStream = src.parse().expect("generated module tokenizes");
    let out = expand_deny_blocking(TokenStream::new(), tokens.clone(), None);
    assert!(!out.to_string().contains("compile_error"));
    let item: syn::Item = syn::parse2(tokens.clone()).expect("generated module parses");
    let opts = super::super::CheckOptions::default();
    println!("blocking check over a generated {lines}-line module:");
    println!(
        "  whole expansion (parse + check + strip): {}",
        measure(&|| drop(expand_deny_blocking(
            TokenStream::new(),
            tokens.clone(),
            None
        )))
    );
    println!(
        "  parse: {}",
        measure(&|| drop(syn::parse2::<syn::Item>(tokens.clone())))
    );
    println!(
        "  check: {}",
        measure(&|| drop(super::super::check_item(&item, &opts)))
    );
    println!(
        "  strip: {}",
        measure(&|| drop(super::super::strip_allow_blocking(tokens.clone())))
    );
    // What reading the file costs each annotated item: the module above is
    // the file, and one small fn in it is the item.
    let file_src = format!("{src}\nasync fn annotated() {{ tokio::task::yield_now().await }}\n");
    let small: TokenStream = "async fn annotated() { tokio::task::yield_now().await }"
        .parse()
        .expect("tokenizes");
    let file = syn::parse_file(&file_src).expect("parses");
    let view = taskgroup_blocking::FileView::of(&file);
    let found = expand_deny_blocking(TokenStream::new(), small.clone(), Some(&view));
    assert!(!found.to_string().contains("compile_error"));
    println!("a small item in a {}-line file:", file_src.lines().count());
    println!(
        "  its file parsed and viewed (once per file): {}",
        measure(&|| drop(taskgroup_blocking::FileView::of(
            &syn::parse_file(&file_src).expect("parses")
        )))
    );
    println!(
        "  expansion with the file (locate + check + strip): {}",
        measure(&|| drop(expand_deny_blocking(
            TokenStream::new(),
            small.clone(),
            Some(&view)
        )))
    );
}

#[test]
#[ignore = "profiling aid"]
fn profile_check_only() {
    let src = generated_module(5_000);
    let item: syn::Item = syn::parse_str(&src).expect("parses");
    let opts = super::super::CheckOptions::default();
    for _ in 0..30 {
        drop(super::super::check_item(&item, &opts));
    }
}
