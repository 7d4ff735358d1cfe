//! The invalid-input corpus: one small site per error under
//! `tests/fixtures/invalid/<error-name>/`, each holding only the files that
//! differ from the shared base (`tests/fixtures/invalid-base/`) and an
//! `expected.toml` that lists what loading it must report, in order.
//!
//! A new case is a folder, not a new function. The keys of an `[[error]]`:
//!
//! | key | checks |
//! |---|---|
//! | `file`, `line`, `column` | the location, exactly |
//! | `message` / `message_is` | the message contains / equals this |
//! | `found`, `help`, `expected` | that field equals this |
//! | `expected_contains` | the `expected` field contains each of these |
//! | `expected_const` | `expected` equals this public constant of insyn |
//! | `none` | these fields (`found`, `help`, `expected`) are absent |
//! | `sensitive` | the diagnostic hides its source line |
//! | `never_shows` | none of these texts appear in the diagnostic, however printed |

use std::path::{Path, PathBuf};

use insyn::data::load;
use insyn::diagnostics::Diagnostic;
use serde::Deserialize;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    error: Vec<ExpectedError>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedError {
    file: Option<PathBuf>,
    line: Option<usize>,
    column: Option<usize>,
    message: Option<String>,
    message_is: Option<String>,
    found: Option<String>,
    help: Option<String>,
    expected: Option<String>,
    #[serde(default)]
    expected_contains: Vec<String>,
    expected_const: Option<String>,
    #[serde(default)]
    none: Vec<String>,
    #[serde(default)]
    sensitive: bool,
    #[serde(default)]
    never_shows: Vec<String>,
}

/// A public constant of insyn named in `expected_const`.
fn constant(name: &str) -> &'static str {
    match name {
        "NUMBER_EXPECTED" => insyn::data::number::NUMBER_EXPECTED,
        "PERIOD_EXPECTED" => insyn::data::period::PERIOD_EXPECTED,
        "SYMBOLS_EXPECTED" => insyn::data::value::SYMBOLS_EXPECTED,
        other => panic!("unknown constant `{other}` in an expected.toml"),
    }
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else if entry.file_name() != "expected.toml" {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The case `name` as a whole site: the shared base with the case's own
/// files laid over it.
fn assemble(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join("invalid-base"), dir.path());
    copy_tree(&fixtures().join("invalid").join(name), dir.path());
    dir
}

fn errors(name: &str) -> Vec<Diagnostic> {
    let site = assemble(name);
    match load(site.path()) {
        Ok(_) => panic!("{name}: loaded without errors"),
        Err(diagnostics) => {
            assert!(!diagnostics.is_empty(), "{name}");
            assert!(diagnostics.iter().all(Diagnostic::is_error), "{name}");
            diagnostics
        }
    }
}

fn check(case: &str, d: &Diagnostic, want: &ExpectedError) {
    let at = format!("{case}: {d}");
    if let Some(file) = &want.file {
        assert_eq!(&d.file, file, "{at}");
    }
    if want.line.is_some() {
        assert_eq!(d.line, want.line, "line of {at}");
    }
    if want.column.is_some() {
        assert_eq!(d.column, want.column, "column of {at}");
    }
    if let Some(part) = &want.message {
        assert!(d.message.contains(part.as_str()), "{at}: lacks {part:?}");
    }
    if let Some(whole) = &want.message_is {
        assert_eq!(&d.message, whole, "{at}");
    }
    for (field, got, wanted) in [
        ("found", &d.found, &want.found),
        ("help", &d.help, &want.help),
        ("expected", &d.expected, &want.expected),
    ] {
        if wanted.is_some() {
            assert_eq!(got, wanted, "{field} of {at}");
        }
        if want.none.iter().any(|n| n == field) {
            assert_eq!(got, &None, "{field} of {at} should be absent");
        }
    }
    for name in &want.none {
        assert!(
            ["found", "help", "expected"].contains(&name.as_str()),
            "{case}: `none` names an unknown field {name:?}"
        );
    }
    let expected = d.expected.as_deref().unwrap_or_default();
    for part in &want.expected_contains {
        assert!(
            expected.contains(part.as_str()),
            "{at}: expected lacks {part:?}"
        );
    }
    if let Some(name) = &want.expected_const {
        assert_eq!(expected, constant(name), "{at}");
    }
    if want.sensitive {
        // Terminal and browser show source lines: not this one.
        assert!(d.sensitive, "{at}: the source line would be shown");
    }
    let everything = format!("{d:?}\n{}", d.render_plain());
    for secret in &want.never_shows {
        assert!(
            !everything.contains(secret.as_str()),
            "{case}: leaked: {everything}"
        );
    }
}

#[test]
fn every_invalid_fixture_reports_what_it_expects() {
    let mut cases: Vec<String> = std::fs::read_dir(fixtures().join("invalid"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    assert!(cases.len() >= 27, "the corpus shrank: {cases:?}");
    for case in &cases {
        let text =
            std::fs::read_to_string(fixtures().join("invalid").join(case).join("expected.toml"))
                .unwrap_or_else(|e| panic!("{case}: no expected.toml ({e})"));
        let expected: Expected =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{case}/expected.toml: {e}"));
        let got = errors(case);
        assert_eq!(
            got.len(),
            expected.error.len(),
            "{case}: {} error(s) expected, got {got:#?}",
            expected.error.len()
        );
        for (d, want) in got.iter().zip(&expected.error) {
            check(case, d, want);
        }
    }
}

/// The base the cases are laid over is itself valid: each case fails
/// because of its own files, and the derived ratio comes out of it.
#[test]
fn the_shared_base_with_a_valid_csv_loads() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join("invalid-base"), tmp.path());
    std::fs::write(
        tmp.path().join("data/obs.csv"),
        "period;unit;open_cases;staff_fte\n2024Q1;nordost;120;10\n",
    )
    .unwrap();
    let ds = load(tmp.path()).unwrap();
    let p = insyn::data::Period::quarter(2024, 1);
    assert_eq!(
        ds.value("cases_per_fte", "nordost", p).unwrap().number,
        Some(12.0)
    );
}
