//! Keeps what the README shows equal to what the code does.

/// The blocking-check message the README quotes is the compiler's real
/// output (trybuild compares it with `tests/tour/blocking.stderr`).
#[test]
fn tour_blocking_message_is_rustcs() {
    trybuild::TestCases::new().compile_fail("tour/blocking.rs");
}

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap()
}

/// Where the text between `<!-- {name}:start -->` and `<!-- {name}:end -->` is.
fn section_range(readme: &str, name: &str) -> std::ops::Range<usize> {
    let start = format!("<!-- {name}:start -->");
    let end = format!("<!-- {name}:end -->");
    let from = readme
        .find(&start)
        .unwrap_or_else(|| panic!("README lacks {start}"))
        + start.len();
    let to = readme[from..]
        .find(&end)
        .unwrap_or_else(|| panic!("README lacks {end}"))
        + from;
    from..to
}

/// Asserts that the README's section `name` is `expected`; with
/// `TASKGROUP_BLESS=1`, rewrites the section instead.
fn assert_readme_section(name: &str, expected: &str) {
    let readme = readme();
    let range = section_range(&readme, name);
    if std::env::var_os("TASKGROUP_BLESS").is_some() {
        let mut blessed = readme.clone();
        blessed.replace_range(range, &format!("\n{expected}\n"));
        std::fs::write(
            concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md"),
            blessed,
        )
        .unwrap();
        return;
    }
    assert_eq!(
        readme[range].trim(),
        expected,
        "README section `{name}` is stale: rerun with TASKGROUP_BLESS=1"
    );
}

#[test]
fn readme_quotes_the_blocking_message_snapshot() {
    let snapshot =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tour/blocking.stderr"))
            .unwrap();
    assert_readme_section(
        "blocking-message",
        &format!("```text\n{}\n```", snapshot.trim()),
    );
}

#[test]
fn readme_catalogue_is_the_generated_one() {
    let generated = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../BLOCKING_CATALOGUE.md"
    ))
    .unwrap();
    let generated: String = generated
        .lines()
        .filter(|l| !l.starts_with("<!--"))
        .collect::<Vec<_>>()
        .join("\n");
    assert_readme_section("catalogue", generated.trim());
}

/// Every `[yes](tests/tests/FILE.rs) `a`, `b`` in the README links to a file
/// that defines each test it names, so a renamed or moved test cannot leave
/// a feature row pointing at nothing.
#[test]
fn readme_links_name_tests_that_exist() {
    let readme = readme();
    let mut checked = 0;
    for (at, _) in readme.match_indices("](tests/tests/") {
        let link = &readme[at + 2..];
        let path = &link[..link.find(')').expect("a link ends with `)`")];
        let source = std::fs::read_to_string(format!("{}/../{path}", env!("CARGO_MANIFEST_DIR")))
            .unwrap_or_else(|e| panic!("README links to {path}: {e}"));
        // The names follow the link: `a`, `b`, up to the first other text.
        let mut rest = link[path.len() + 1..].trim_start();
        let mut names = Vec::new();
        while let Some(quoted) = rest.strip_prefix('`') {
            let end = quoted.find('`').expect("a name's closing backtick");
            names.push(&quoted[..end]);
            rest = quoted[end + 1..].trim_start();
            match rest.strip_prefix(',') {
                Some(after) => rest = after.trim_start(),
                None => break,
            }
        }
        assert!(!names.is_empty(), "README's link to {path} names no test");
        for name in names {
            let name = name.rsplit("::").next().unwrap();
            assert!(
                source.contains(&format!("fn {name}(")),
                "README names `{name}` in {path}, which has no such test"
            );
            checked += 1;
        }
    }
    assert!(checked >= 17, "only {checked} linked tests found in README");
}
