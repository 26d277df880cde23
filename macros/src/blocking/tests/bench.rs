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

#[test]
#[ignore = "benchmark; run with --release --ignored --nocapture"]
fn bench_blocking_check() {
    let src = generated_module(5_000);
    let lines = src.lines().count();
    let tokens: TokenStream = src.parse().expect("generated module tokenizes");
    let mut times = Vec::new();
    for _ in 0..30 {
        let start = Instant::now();
        let out = expand_deny_blocking(TokenStream::new(), tokens.clone());
        times.push(start.elapsed());
        assert!(!out.to_string().contains("compile_error"));
    }
    times.sort();
    let phase = |f: &dyn Fn()| {
        let mut t: Vec<_> = (0..30)
            .map(|_| {
                let start = Instant::now();
                f();
                start.elapsed()
            })
            .collect();
        t.sort();
        format!(
            "min {:.2} ms / median {:.2} ms",
            t[0].as_secs_f64() * 1e3,
            t[t.len() / 2].as_secs_f64() * 1e3
        )
    };
    let item: syn::Item = syn::parse2(tokens.clone()).expect("generated module parses");
    let opts = super::super::CheckOptions::default();
    println!(
        "  phases: parse {}; check {}; strip {}",
        phase(&|| drop(syn::parse2::<syn::Item>(tokens.clone()))),
        phase(&|| drop(super::super::check_item(&item, &opts))),
        phase(&|| drop(super::super::strip_allow_blocking(tokens.clone()))),
    );
    println!(
        "blocking check over a generated {lines}-line module: median {:.2} ms, min {:.2} ms (parse + check + strip)",
        times[times.len() / 2].as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
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
