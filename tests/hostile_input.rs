//! Hostile input, second round: personal identity numbers anywhere a site's
//! text could be published are refused and never echoed, and input made to
//! flood the terminal (a million repeated rows, a 10 MB name, deep nesting)
//! gets a short, bounded answer.

use std::path::Path;
use std::process::Output;

use crate::support::*;

// 811218-9876 and 19121212-1212 are the Swedish Tax Agency's test numbers.
const NUMBER: &str = "811218-9876";

fn build_into_temp(site: &Path) -> Output {
    let out = tempfile::tempdir().unwrap();
    build(site, &out.path().join("public"))
}

/// Replaces `from` with `to` in the site file `rel` (which must hold it).
fn edit(site: &Path, rel: &str, from: &str, to: &str) {
    let path = site.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} has no {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// The build fails, names the problem and where, and never shows the number.
fn assert_refused_unseen(site: &Path, location: &str) {
    let o = build_into_temp(site);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("personal identity number"), "{err}");
    assert!(err.contains(location), "expected `{location}` in:\n{err}");
    for digits in ["9876", "811218"] {
        assert!(!err.contains(digits), "the number is echoed:\n{err}");
    }
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn personal_identity_numbers_are_refused_wherever_text_is_published() {
    let cases: [(&str, &str, &str, &str); 9] = [
        // (file, text replaced, replacement, location expected)
        (
            "site.toml",
            "Testkommunen i siffror",
            "Testkommunen 811218-9876",
            "site.toml:1:",
        ),
        (
            "data/units.toml",
            "name = \"Alfa\"",
            "name = \"Alfa 811218-9876\"",
            "data/units.toml:5:",
        ),
        (
            "data/units.toml",
            "Barn och unga",
            "Barn 8112189876",
            "data/units.toml:2:",
        ),
        (
            "data/measures.toml",
            "sv = \"Nya ärenden\"",
            "sv = \"Nya ärenden 811218+9876\"",
            "data/measures.toml:",
        ),
        (
            "data/measures.toml",
            "Ny definition av aktuellt ärende",
            "Ny definition, se 19811218-9876",
            "data/measures.toml:",
        ),
        (
            "content/rapporter/2024-q3.md",
            "title = \"Rapport kvartal 3 2024\"",
            "title = \"Rapport om 811218-9876\"",
            "content/rapporter/2024-q3.md:2:",
        ),
        (
            "content/rapporter/2024-q3.md",
            "## Alfa",
            "## Alfa\n\nGäller 198112189876.",
            "content/rapporter/2024-q3.md:",
        ),
        (
            "content/rapporter/2024-q3.md",
            "type = \"growth\"",
            "type = \"growth\"\ntitle = \"Ärenden för 811218-9876\"",
            "content/rapporter/2024-q3.md:",
        ),
        (
            "data/cases.csv",
            "2023Q1,beta,open_cases,80,",
            "2023Q1,beta,open_cases,80,\"811218-9876\"",
            "data/cases.csv:3:",
        ),
    ];
    for (file, from, to, location) in cases {
        let site = copy_site(&fixture("minimal"));
        edit(site.path(), file, from, to);
        assert_refused_unseen(site.path(), location);
    }
}

#[test]
fn personal_identity_numbers_in_file_names_are_refused_masked() {
    let site = copy_site(&fixture("minimal"));
    let content = site.path().join("content/rapporter");
    std::fs::rename(
        content.join("2024-q3.md"),
        content.join(format!("{NUMBER}.md")),
    )
    .unwrap();
    assert_refused_unseen(site.path(), "content/rapporter/***********.md");

    let site = copy_site(&fixture("minimal"));
    let data = site.path().join("data");
    std::fs::rename(data.join("staff.csv"), data.join(format!("{NUMBER}.csv"))).unwrap();
    assert_refused_unseen(site.path(), "data/***********.csv");
}

#[test]
fn dates_phone_numbers_and_periods_in_body_text_are_not_refused() {
    let site = copy_site(&fixture("minimal"));
    edit(
        site.path(),
        "content/rapporter/2024-q3.md",
        "## Alfa",
        "## Alfa\n\nUppdaterad 2024-10-20, kvartal 2024Q3. Frågor: 08-123 456 78, \
         070-123 45 67. Organisationsnummer 212000-0142. Dnr 2024/1234-56.",
    );
    let o = build_into_temp(site.path());
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn a_file_of_repeated_rows_gets_a_short_answer() {
    // Reduced from a million rows (299 MB of errors before); the full size
    // is timed by `cargo run --release --example hostile_timing`.
    let site = copy_site(&fixture("minimal"));
    let rows = "2023Q1,alfa,open_cases,100,\n".repeat(50_000);
    std::fs::write(
        site.path().join("data/repeat.csv"),
        format!("period,unit,measure,value,status\n{rows}"),
    )
    .unwrap();
    let o = build_into_temp(site.path());
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{}", &err[..err.len().min(2000)]);
    assert!(err.len() < 20_000, "{} bytes of errors", err.len());
    assert!(
        err.contains("49,980 more duplicate observations in this file are not listed"),
        "{err}"
    );
    // The count is of the problems there are, not of the lines printed.
    assert!(err.contains("\n50,000 error(s) found"), "{err}");
}

#[test]
fn a_ten_megabyte_name_is_shown_cut_with_its_length() {
    let site = copy_site(&fixture("minimal"));
    let long = "x".repeat(10 << 20);
    edit(
        site.path(),
        "content/rapporter/2024-q3.md",
        "## Alfa",
        &format!(
            "## Alfa\n\n{{{{ value(measure=\"{long}\", unit=\"alfa\", period=\"2024Q3\") }}}}"
        ),
    );
    let o = build_into_temp(site.path());
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{}", &err[..err.len().min(2000)]);
    assert!(err.len() < 5_000, "{} bytes of errors", err.len());
    assert!(err.contains("characters)"), "{err}");
}

#[test]
fn markdown_nested_thousands_deep_is_refused_at_once() {
    let site = copy_site(&fixture("minimal"));
    edit(
        site.path(),
        "content/rapporter/2024-q3.md",
        "## Alfa",
        &format!("## Alfa\n\n{}x", ">".repeat(100_000)),
    );
    let started = std::time::Instant::now();
    let o = build_into_temp(site.path());
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("nested more than 50 levels"), "{err}");
    // Minutes before; a generous bound for a debug build on a busy machine.
    assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
}
