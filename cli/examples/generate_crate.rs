//! Writes a synthetic crate of about the given number of lines for timing
//! `cargo taskgroup check`:
//! `cargo run -p cargo-taskgroup --example generate_crate -- DIR [LINES]`.
//! Each module has file-top imports, a struct with methods, sync helpers
//! calling each other (some blocking, some three calls deep) and async fns
//! calling them, so every stage of the check does work.

use std::fmt::Write as _;
use std::path::PathBuf;

/// Lines one generated module takes.
const MODULE_LINES: usize = 233;

fn module(m: usize) -> String {
    let mut s = String::new();
    s.push_str("use std::collections::HashMap;\nuse std::fs;\nuse std::time::Duration;\n\n");
    s.push_str("use crate::shared::*;\n\n");
    let _ = writeln!(
        s,
        "pub struct Store{m} {{\n    cache: HashMap<String, u64>,\n}}\n"
    );
    let _ = writeln!(s, "impl Store{m} {{");
    for i in 0..5 {
        let _ = writeln!(
            s,
            "    pub fn get_{i}(&self, key: &str) -> u64 {{\n        self.cache.get(key).copied().unwrap_or({i})\n    }}\n"
        );
    }
    let _ = writeln!(
        s,
        "    pub fn persist(&self) {{\n        let body = format!(\"{{}}\", self.cache.len());\n        write_out(&body);\n    }}\n}}\n"
    );
    let _ = writeln!(
        s,
        "fn write_out(body: &str) {{\n    fs::write(\"store.txt\", body).ok();\n}}\n"
    );
    for i in 0..10 {
        let next = if i % 3 == 2 {
            "    level_three(n);\n".to_string()
        } else {
            format!("    helper_{m}_{}(n + 1);\n", (i + 1) % 10)
        };
        let _ = writeln!(
            s,
            "pub fn helper_{m}_{i}(n: u64) -> u64 {{\n    if n > 100 {{\n        return n;\n    }}\n{next}    let total: u64 = (0..n).map(|x| x * 2).sum();\n    total + {i}\n}}\n"
        );
    }
    for i in 0..10 {
        let body = match i % 4 {
            0 => format!("    let v = helper_{m}_{i}(1);\n    tokio::time::sleep(Duration::from_millis(v)).await;\n"),
            1 => "    let data = tokio::fs::read(\"a\").await.unwrap_or_default();\n    let _ = data.len();\n".to_string(),
            2 => format!("    let store = Store{m} {{ cache: HashMap::new() }};\n    let _ = store.get_1(\"k\");\n    tokio::task::spawn_blocking(move || store.persist()).await.ok();\n"),
            _ => "    let joined = futures_join().await;\n    let _ = joined;\n".to_string(),
        };
        let _ = writeln!(
            s,
            "pub async fn handler_{m}_{i}(input: u64) -> u64 {{\n{body}    let mut acc = input;\n    for step in 0..3 {{\n        acc += step;\n    }}\n    acc\n}}\n"
        );
    }
    s
}

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(
        args.next()
            .unwrap_or_else(|| "target/generated-crate".into()),
    );
    let lines: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(50_000);
    let modules = lines.div_ceil(MODULE_LINES).max(1);
    std::fs::create_dir_all(dir.join("src"))?;
    std::fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"generated\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[workspace]\n",
    )?;
    let mut lib = String::from("pub mod shared;\n");
    let mut total = 0;
    for m in 0..modules {
        let text = module(m);
        total += text.lines().count();
        std::fs::write(dir.join("src").join(format!("m{m}.rs")), text)?;
        let _ = writeln!(lib, "pub mod m{m};");
    }
    std::fs::write(
        dir.join("src/shared.rs"),
        "pub fn level_three(n: u64) {\n    level_two(n)\n}\n\nfn level_two(n: u64) {\n    level_one(n)\n}\n\nfn level_one(n: u64) {\n    std::thread::sleep(std::time::Duration::from_millis(n));\n}\n\npub async fn futures_join() -> u64 {\n    1\n}\n",
    )?;
    std::fs::write(dir.join("src/lib.rs"), lib)?;
    println!(
        "{} lines in {} modules under {}",
        total + modules + 16,
        modules,
        dir.display()
    );
    Ok(())
}
