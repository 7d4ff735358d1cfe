//! The invalid-input corpus: one small site per error under
//! `tests/fixtures/invalid/<error-name>/`, each checked for its message,
//! location, `found`, `expected` and `help`.

use std::path::{Path, PathBuf};

use insyn::data::load;
use insyn::diagnostics::Diagnostic;

fn site(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/invalid")
        .join(name)
}

fn errors(name: &str) -> Vec<Diagnostic> {
    match load(&site(name)) {
        Ok(_) => panic!("{name}: loaded without errors"),
        Err(diagnostics) => {
            assert!(!diagnostics.is_empty());
            assert!(diagnostics.iter().all(Diagnostic::is_error));
            diagnostics
        }
    }
}

/// The one diagnostic of a fixture.
fn only(name: &str) -> Diagnostic {
    let mut e = errors(name);
    assert_eq!(e.len(), 1, "{name}: {e:#?}");
    e.remove(0)
}

#[track_caller]
fn check(
    d: &Diagnostic,
    file: &str,
    at: (usize, usize),
    message: &str,
    found: Option<&str>,
    help: Option<&str>,
) {
    assert_eq!(d.file, Path::new(file), "{d}");
    assert_eq!((d.line, d.column), (Some(at.0), Some(at.1)), "{d}");
    assert!(
        d.message.contains(message),
        "message {:?} lacks {message:?}",
        d.message
    );
    assert_eq!(d.found.as_deref(), found, "{d}");
    assert_eq!(d.help.as_deref(), help, "{d}");
}

const CSV: &str = "data/obs.csv";

#[test]
fn unknown_unit() {
    let d = only("unknown-unit");
    check(
        &d,
        CSV,
        (3, 8),
        "unknown unit",
        Some("nordst"),
        Some("did you mean `nordost`?"),
    );
    assert!(d.expected.unwrap().contains("units.toml"));
}

#[test]
fn unknown_measure_in_a_long_file() {
    let d = only("unknown-measure");
    check(
        &d,
        CSV,
        (2, 16),
        "unknown measure",
        Some("open_case"),
        Some("did you mean `open_cases`?"),
    );
}

#[test]
fn unknown_wide_column() {
    let d = only("unknown-wide-column");
    check(
        &d,
        CSV,
        (1, 24),
        "unknown measure column",
        Some("staf_fte"),
        Some(
            "if this column is `staff_fte`, add the header to its `columns` in data/measures.toml: under `[measures.staff_fte]`, `columns = [\"staf_fte\"]`",
        ),
    );
}

#[test]
fn unparseable_number() {
    let d = only("unparseable-number");
    check(&d, CSV, (2, 16), "unparseable number", Some("12,3,4"), None);
    assert_eq!(
        d.expected.as_deref(),
        Some(insyn::data::number::NUMBER_EXPECTED)
    );
}

#[test]
fn unparseable_period() {
    let d = only("unparseable-period");
    check(&d, CSV, (2, 1), "unparseable period", Some("2024Q5"), None);
    assert_eq!(
        d.expected.as_deref(),
        Some(insyn::data::period::PERIOD_EXPECTED)
    );
}

#[test]
fn unknown_symbol() {
    let d = only("unknown-symbol");
    check(&d, CSV, (2, 16), "unknown symbol", Some("??"), None);
    assert_eq!(
        d.expected.as_deref(),
        Some(insyn::data::value::SYMBOLS_EXPECTED)
    );
}

#[test]
fn unknown_status_in_the_status_column() {
    let d = only("unknown-status");
    check(&d, CSV, (2, 31), "unknown status symbol", Some("q"), None);
    assert_eq!(
        d.expected.as_deref(),
        Some(insyn::data::value::SYMBOLS_EXPECTED)
    );
}

#[test]
fn duplicate_names_the_first_one() {
    // The third row spells the period and the unit differently: still the same key.
    let d = only("duplicate");
    check(
        &d,
        CSV,
        (4, 28),
        "was already given at data/obs.csv:2",
        Some("2024Q1, nordost, open_cases"),
        Some("the first value is at data/obs.csv:2; remove one of them"),
    );
}

#[test]
fn negative_count() {
    let d = only("negative-count");
    check(
        &d,
        CSV,
        (2, 16),
        "negative value for `open_cases`",
        Some("-3"),
        None,
    );
    assert_eq!(d.expected.as_deref(), Some("a number of 0 or more"));
}

#[test]
fn percent_out_of_range() {
    let d = only("percent-out-of-range");
    check(
        &d,
        CSV,
        (2, 16),
        "percent outside 0–100",
        Some("101,5"),
        None,
    );
    assert_eq!(d.expected.as_deref(), Some("a percent from 0 to 100"));
}

#[test]
fn quarters_mixed_with_years() {
    let d = only("mixed-quarters-years");
    check(
        &d,
        CSV,
        (3, 1),
        "measure `open_cases` mixes quarters and years",
        Some("2024"),
        d.help.as_deref(),
    );
    assert!(d.expected.unwrap().contains("only quarters"));
}

#[test]
fn wrong_number_of_fields() {
    let d = only("wrong-field-count");
    assert_eq!((d.line, d.column), (Some(3), Some(23)));
    assert_eq!(d.message, "this row has 5 fields, the header has 4");
    assert_eq!(d.expected.as_deref(), Some("4 fields separated by `;`"));
}

#[test]
fn empty_file() {
    let d = only("empty-file");
    check(&d, CSV, (1, 1), "the file is empty", None, None);
    assert!(d.expected.unwrap().contains("period, unit, measure, value"));
}

#[test]
fn unrecognisable_header_says_what_was_expected() {
    let d = only("unrecognised-header");
    check(
        &d,
        CSV,
        (1, 1),
        "unrecognised header: no `unit` column",
        Some("kommun;nyckeltal;år;visat värde"),
        None,
    );
    let expected = d.expected.unwrap();
    assert!(expected.contains("period, unit, measure, value"));
    assert!(expected.contains("<one column per measure>"));
}

#[test]
fn derived_measure_given_in_data() {
    let d = only("derived-in-csv");
    check(
        &d,
        CSV,
        (1, 24),
        "`cases_per_fte` is a derived measure",
        Some("cases_per_fte"),
        d.help.as_deref(),
    );
    assert!(d.expected.unwrap().contains("`open_cases` / `staff_fte`"));
}

#[test]
fn personal_identity_number_is_located_but_never_echoed() {
    let d = only("personnummer");
    check(
        &d,
        CSV,
        (3, 8),
        "personal identity number",
        None,
        d.help.as_deref(),
    );
    // Terminal and browser show source lines: not this one.
    assert!(d.sensitive, "the source line would be shown: {d:?}");
    let everything = format!("{d:?}\n{}", d.render_plain());
    for part in ["19811218", "811218", "9876"] {
        assert!(!everything.contains(part), "the value leaked: {everything}");
    }
}

#[test]
fn unknown_area() {
    let d = only("unknown-area");
    check(
        &d,
        "data/units.toml",
        (6, 8),
        "unknown area `barn-och-ung`",
        Some("barn-och-ung"),
        Some("did you mean `barn-och-unga`?"),
    );
}

#[test]
fn unknown_parent() {
    let d = only("unknown-parent");
    check(
        &d,
        "data/units.toml",
        (14, 10),
        "unknown parent `nordst`",
        Some("nordst"),
        Some("did you mean `nordost`?"),
    );
}

#[test]
fn parent_cycle() {
    let d = only("parent-cycle");
    check(
        &d,
        "data/units.toml",
        (3, 10),
        "parent cycle: a → b → a",
        Some("b"),
        None,
    );
}

#[test]
fn unknown_key_in_units() {
    let d = only("unknown-unit-key");
    check(
        &d,
        "data/units.toml",
        (10, 1),
        "unknown key `parnet`",
        Some("parnet"),
        Some("did you mean `parent`?"),
    );
    assert_eq!(
        d.expected.as_deref(),
        Some("one of `name`, `area`, `parent`, `reference`")
    );
}

#[test]
fn duplicate_unit_names_are_allowed_but_a_csv_cell_using_one_is_ambiguous() {
    // Two units named "Nordost" (a re-coded unit keeps its name): units.toml
    // is fine, the row that names the unit by id is fine, and only the row
    // that uses the shared name is refused, with the ids it could mean.
    let d = only("ambiguous-unit-name");
    check(
        &d,
        CSV,
        (3, 8),
        "ambiguous unit name",
        Some("Nordost"),
        Some("write the unit's id instead of its name in this column, such as `nordost`"),
    );
    assert_eq!(
        d.expected.as_deref(),
        Some("the id of one of them: `nordost`, `sydvast`")
    );
}

#[test]
fn bad_measure_unit_lists_the_accepted_ones() {
    let d = only("bad-measure-unit");
    check(
        &d,
        "data/measures.toml",
        (9, 8),
        "unknown measure unit `ftes`",
        Some("ftes"),
        Some("did you mean `fte`?"),
    );
    assert_eq!(
        d.expected.as_deref(),
        Some("one of `count`, `fte`, `percent`, `days`, `points`, `ratio`")
    );
}

#[test]
fn bad_role_lists_the_accepted_ones() {
    let d = only("bad-role");
    check(
        &d,
        "data/measures.toml",
        (15, 8),
        "unknown role `kpi`",
        Some("kpi"),
        None,
    );
    assert!(
        d.expected
            .unwrap()
            .contains("`caseload`, `staffing`, `workload`, `capacity`, `indicator`, `other`")
    );
}

#[test]
fn unknown_ratio_operand() {
    let d = only("unknown-ratio-operand");
    check(
        &d,
        "data/measures.toml",
        (20, 24),
        "unknown measure `staff_ftee`",
        Some("staff_ftee"),
        Some("did you mean `staff_fte`?"),
    );
}

#[test]
fn break_period_that_does_not_parse() {
    let d = only("bad-break-period");
    check(
        &d,
        "data/measures.toml",
        (8, 10),
        "series break is not a period",
        Some("2022Q7"),
        None,
    );
    assert_eq!(
        d.expected.as_deref(),
        Some(insyn::data::period::PERIOD_EXPECTED)
    );
}

#[test]
fn toml_syntax_error_is_located() {
    let d = only("toml-syntax");
    assert_eq!(d.file, Path::new("data/measures.toml"));
    assert_eq!(d.line, Some(3));
}

#[test]
fn several_errors_in_several_files_are_all_reported() {
    let e = errors("several");
    let summary: Vec<(String, Option<usize>, &str)> = e
        .iter()
        .map(|d| (d.file.display().to_string(), d.line, d.message.as_str()))
        .collect();
    assert_eq!(
        summary,
        vec![
            ("data/more/b.csv".into(), Some(3), "unknown symbol"),
            ("data/obs.csv".into(), Some(2), "unknown unit"),
            ("data/obs.csv".into(), Some(3), "unparseable period"),
            (
                "data/obs.csv".into(),
                Some(3),
                "negative value for `open_cases`, a measure in counts"
            ),
            (
                "data/units.toml".into(),
                Some(6),
                "unit `nordost` names an unknown area `barn-och-ung`"
            ),
        ]
    );
}

#[test]
fn every_fixture_fails_and_the_valid_variant_loads() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        assert!(load(&path).is_err(), "{} loaded", path.display());
    }
    // The same metadata with a valid CSV loads, and derives the ratio.
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    std::fs::create_dir(&data).unwrap();
    for f in ["units.toml", "measures.toml"] {
        std::fs::copy(site("unknown-unit").join("data").join(f), data.join(f)).unwrap();
    }
    std::fs::write(
        data.join("obs.csv"),
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
