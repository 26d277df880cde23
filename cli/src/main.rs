//! `cargo taskgroup check`: finds blocking calls in every async fn, async
//! block and async closure of a package (or of each member of a workspace),
//! following calls into the crate's own sync fns. A thin front end over
//! `taskgroup_blocking::krate`: this binary reads cargo metadata and
//! arguments, and writes the findings.
//!
//! Exit status: 0 when nothing is found, 1 when something is, 2 on a usage
//! error or a file that cannot be read or parsed.

mod cargo;
mod output;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use output::Format;

const USAGE: &str =
    "usage: cargo taskgroup check [--manifest-path PATH] [--workspace] [--format human|json|sarif]

Finds blocking calls in every async fn, async block and async closure of the
package (every member of a virtual workspace, or of any workspace with
--workspace), and calls from them into the package's own sync fns that
block. Configure with [package.metadata.taskgroup.blocking]:
  extra = [\"my_crate::legacy::load\"]   # more paths that block
  allow = [\"std::fs::read\"]            # catalogue paths (or prefixes) not to flag

Exit status: 0 clean, 1 findings, 2 usage or parse error.";

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq)]
struct Args {
    manifest_path: Option<PathBuf>,
    workspace: bool,
    format: Format,
}

/// A problem that stops the run: exit status 2.
struct Fatal(String);

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<Args>, Fatal> {
    // `cargo taskgroup ..` runs `cargo-taskgroup taskgroup ..`.
    let mut next = args.next();
    if next.as_deref() == Some("taskgroup") {
        next = args.next();
    }
    match next.as_deref() {
        Some("check") => {}
        Some("-h" | "--help" | "help") => return Ok(None),
        Some(other) => {
            return Err(Fatal(format!(
                "unknown command `{other}`; expected `check`\n\n{USAGE}"
            )));
        }
        None => {
            return Err(Fatal(format!(
                "missing command: expected `check`\n\n{USAGE}"
            )));
        }
    }
    let mut parsed = Args {
        manifest_path: None,
        workspace: false,
        format: Format::Human,
    };
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_string(), Some(value.to_string()))
            }
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| Fatal(format!("`{name}` needs a value\n\n{USAGE}")))
        };
        match flag.as_str() {
            "--manifest-path" => {
                parsed.manifest_path = Some(PathBuf::from(value("--manifest-path")?))
            }
            "--format" => {
                let v = value("--format")?;
                parsed.format = Format::parse(&v).ok_or_else(|| {
                    Fatal(format!(
                        "unknown format `{v}`; expected `human`, `json` or `sarif`"
                    ))
                })?;
            }
            "--workspace" => parsed.workspace = true,
            "-h" | "--help" => return Ok(None),
            other => return Err(Fatal(format!("unknown argument `{other}`\n\n{USAGE}"))),
        }
    }
    Ok(Some(parsed))
}

fn run(args: &Args) -> Result<bool, Fatal> {
    let workspace = cargo::Workspace::read(args.manifest_path.as_deref(), args.workspace)?;
    let report = workspace.check()?;
    for warning in &report.warnings {
        eprintln!("warning: {warning}");
    }
    let text = output::render(
        args.format,
        &report.findings,
        &workspace.root,
        &report.sources,
    );
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|e| Fatal(format!("cannot write the report: {e}")))?;
    Ok(!report.findings.is_empty())
}

fn main() -> ExitCode {
    let outcome = parse_args(std::env::args().skip(1)).and_then(|args| match args {
        None => {
            // A closed pipe (`| head`) is no reason to fail on help text.
            let _ = writeln!(std::io::stdout(), "{USAGE}");
            Ok(false)
        }
        Some(args) => run(&args),
    });
    match outcome {
        Ok(false) => ExitCode::SUCCESS,
        Ok(true) => ExitCode::from(1),
        Err(Fatal(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Option<Args>, String> {
        parse_args(args.iter().map(|s| s.to_string())).map_err(|Fatal(m)| m)
    }

    #[test]
    fn reads_the_three_flags_as_cargo_passes_them() {
        let args = parse(&[
            "taskgroup",
            "check",
            "--manifest-path",
            "a/Cargo.toml",
            "--format=sarif",
        ]);
        assert_eq!(
            args,
            Ok(Some(Args {
                manifest_path: Some(PathBuf::from("a/Cargo.toml")),
                workspace: false,
                format: Format::Sarif,
            }))
        );
        assert_eq!(
            parse(&["check", "--workspace"]),
            Ok(Some(Args {
                manifest_path: None,
                workspace: true,
                format: Format::Human
            }))
        );
        assert_eq!(parse(&["taskgroup", "--help"]), Ok(None));
    }

    #[test]
    fn says_what_is_wrong_with_the_command_line() {
        let err = |a: &[&str]| parse(a).unwrap_err();
        assert!(err(&["taskgroup"]).starts_with("missing command: expected `check`"));
        assert!(err(&["taskgroup", "lint"]).starts_with("unknown command `lint`"));
        assert!(err(&["check", "--format", "xml"]).starts_with("unknown format `xml`"));
        assert!(err(&["check", "--format"]).starts_with("`--format` needs a value"));
        assert!(err(&["check", "--fast"]).starts_with("unknown argument `--fast`"));
    }
}
