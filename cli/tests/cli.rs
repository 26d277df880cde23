//! `cargo taskgroup check` run on the fixture crates under `fixtures/`:
//! the output of each format is snapshot-tested (`UPDATE_EXPECT=1` to
//! refresh), the exit status checked, and the SARIF log validated against
//! the SARIF 2.1.0 schema.

use std::path::{Path, PathBuf};
use std::process::Command;

use expect_test::expect_file;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
        .join("Cargo.toml")
}

/// Exit status, stdout and stderr of `cargo taskgroup check` on a fixture.
fn check(name: &str, format: &str) -> (Option<i32>, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_cargo-taskgroup"))
        .args(["taskgroup", "check", "--format", format, "--manifest-path"])
        .arg(fixture(name))
        .output()
        .expect("the binary runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn human_output_shows_each_call_with_its_chain() {
    let (status, stdout, stderr) = check("service", "human");
    assert_eq!((status, stderr.as_str()), (Some(1), ""));
    expect_file!["snapshots/service.human.txt"].assert_eq(&stdout);
}

#[test]
fn json_output_is_one_object_per_finding() {
    let (status, stdout, _) = check("service", "json");
    assert_eq!(status, Some(1));
    let findings: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is a JSON object"))
        .collect();
    assert_eq!(findings.len(), 13);
    expect_file!["snapshots/service.json"].assert_eq(&stdout);
}

#[test]
fn sarif_output_validates_against_the_2_1_0_schema() {
    let (status, stdout, _) = check("service", "sarif");
    assert_eq!(status, Some(1));
    expect_file!["snapshots/service.sarif"].assert_eq(&stdout);
    let log: serde_json::Value = serde_json::from_str(&stdout).expect("SARIF is JSON");
    let schema_text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sarif-schema-2.1.0.json"),
    )
    .expect("the schema is vendored");
    let schema: serde_json::Value = serde_json::from_str(&schema_text).expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
    assert_eq!(errors, Vec::<String>::new());
    // The validator does reject a log that breaks the schema.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = serde_json::json!("fatal");
    assert!(!validator.is_valid(&broken));
    // Each chain's calls are the result's related locations and code flow.
    let handler = &log["runs"][0]["results"][1];
    assert_eq!(
        handler["relatedLocations"].as_array().map(Vec::len),
        Some(3)
    );
    let flow = &handler["codeFlows"][0]["threadFlows"][0]["locations"];
    assert_eq!(flow.as_array().map(Vec::len), Some(3));
}

#[test]
fn a_clean_crate_exits_0_and_prints_nothing() {
    for format in ["human", "json"] {
        let (status, stdout, stderr) = check("clean", format);
        assert_eq!(
            (status, stdout.as_str(), stderr.as_str()),
            (Some(0), "", "")
        );
    }
}

#[test]
fn a_file_that_does_not_parse_exits_2_naming_it() {
    let (status, stdout, stderr) = check("broken", "human");
    assert_eq!((status, stdout.as_str()), (Some(2), ""));
    let half = Path::new("broken").join("src").join("half.rs");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(
        stderr.ends_with(&format!(
            "{}:1:17: cannot parse the file: this delimiter is never closed\n",
            half.display()
        )),
        "{stderr}"
    );
}

#[test]
fn usage_errors_exit_2() {
    let output = Command::new(env!("CARGO_BIN_EXE_cargo-taskgroup"))
        .args(["taskgroup", "check", "--format", "xml"])
        .output()
        .expect("the binary runs");
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: unknown format `xml`; expected `human`, `json` or `sarif`\n"
    );
    let missing = Command::new(env!("CARGO_BIN_EXE_cargo-taskgroup"))
        .args([
            "taskgroup",
            "check",
            "--manifest-path",
            "no/such/Cargo.toml",
        ])
        .output()
        .expect("the binary runs");
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&missing.stderr)
            .starts_with("error: cannot read the crate's metadata")
    );
}

/// The `file:line function -> blocking` of each JSON finding of a run of
/// `cargo taskgroup check` with `args`, in `dir`, and its exit status.
fn findings_of(dir: &Path, args: &[&str]) -> (Option<i32>, Vec<String>) {
    let output = Command::new(env!("CARGO_BIN_EXE_cargo-taskgroup"))
        .args(["taskgroup", "check", "--format", "json"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs");
    let found = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| {
            let f: serde_json::Value = serde_json::from_str(l).expect("each line is a JSON object");
            format!(
                "{}:{} {}",
                f["file"].as_str().unwrap_or("?"),
                f["line"],
                f["chain_text"].as_str().unwrap_or("?")
            )
        })
        .collect();
    (output.status.code(), found)
}

#[test]
fn the_package_of_the_manifest_is_checked_and_every_member_with_workspace() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/members");
    let inner_finding = "inner/src/lib.rs:2 inner -> std::fs::read_to_string".to_string();
    // The root package alone, as cargo builds it there.
    assert_eq!(findings_of(&root, &[]), (Some(0), vec![]));
    let by_path = ["--manifest-path", "tests/fixtures/members/Cargo.toml"];
    assert_eq!(
        findings_of(Path::new(env!("CARGO_MANIFEST_DIR")), &by_path),
        (Some(0), vec![])
    );
    // A member's manifest, given or found from the current directory,
    // checks that member, not the workspace root's package.
    assert_eq!(
        findings_of(&root, &["--manifest-path", "inner/Cargo.toml"]),
        (Some(1), vec![inner_finding.clone()])
    );
    assert_eq!(
        findings_of(&root.join("inner/src"), &[]),
        (Some(1), vec![inner_finding.clone()])
    );
    assert_eq!(
        findings_of(&root, &["--workspace"]),
        (Some(1), vec![inner_finding])
    );
}
