use super::*;
use crate::data::meta::{parse_measures, parse_units};
use crate::data::model::{Measures, Units};
use crate::data::period::Period;
use crate::data::value::{SYMBOLS_EXPECTED, Status, Value};
use ::csv::Position;
use proptest::prelude::*;

pub(crate) const UNITS: &str = r#"
[areas.bou]
name = { sv = "Barn och unga", en = "Children and youth" }
[units.nordost]
name = "Nordost"
area = "bou"
[units.malaren]
name = "Mälaren"
area = "bou"
"#;

pub(crate) const MEASURES: &str = r#"
[measures.open_cases]
label = { sv = "Aktuella ärenden", en = "Open cases" }
unit = "count"
role = "caseload"
columns = ["aktuella_arenden"]
[measures.staff_fte]
label = "Årsarbetare"
unit = "fte"
role = "staffing"
columns = ["Årsarbetare"]
[measures.share]
label = "Andel"
unit = "percent"
[measures.workforce]
label = "Personal"
unit = "count"
[measures.cases_per_fte]
label = "Ärenden per årsarbetare"
unit = "ratio"
ratio = ["open_cases", "staff_fte"]
"#;

fn meta() -> (Units, Measures) {
    let u = parse_units(Path::new("data/units.toml"), UNITS);
    let m = parse_measures(Path::new("data/measures.toml"), MEASURES);
    assert!(u.diagnostics.is_empty(), "{:?}", u.diagnostics);
    assert!(m.diagnostics.is_empty(), "{:?}", m.diagnostics);
    (u.value, m.value)
}

fn read(bytes: &[u8]) -> FileRead {
    let (units, measures) = meta();
    let lookup = Lookup::new(&units, &measures);
    read_bytes(Path::new("data/t.csv"), bytes, &lookup)
}

/// (measure, unit, group, period, value) of every observation.
fn obs(bytes: &[u8]) -> Vec<(String, String, String, String, Value)> {
    let (units, measures) = meta();
    let lookup = Lookup::new(&units, &measures);
    let r = read_bytes(Path::new("data/t.csv"), bytes, &lookup);
    assert!(r.diagnostics.is_empty(), "{:#?}", r.diagnostics);
    r.observations
        .iter()
        .map(|o| {
            (
                lookup.measure_at(o.measure).id.clone(),
                lookup.unit_id(o.unit).to_string(),
                r.groups[o.group as usize].clone(),
                o.period.to_string(),
                o.value,
            )
        })
        .collect()
}

fn one(bytes: &[u8]) -> Value {
    let o = obs(bytes);
    assert_eq!(o.len(), 1, "{o:?}");
    o[0].4
}

fn errors(bytes: &[u8]) -> Vec<Diagnostic> {
    read(bytes).diagnostics
}

#[test]
fn utf8_long() {
    let o = obs(b"period,unit,measure,value\n2024Q1,nordost,open_cases,431\n");
    assert_eq!(
        o,
        vec![(
            "open_cases".into(),
            "nordost".into(),
            "".into(),
            "2024Q1".into(),
            Value::final_(431.0)
        )]
    );
    assert_eq!(
        read(b"period,unit,measure,value\n").encoding,
        SourceEncoding::Utf8
    );
}

#[test]
fn utf8_with_bom() {
    let r = read("\u{feff}period;enhet;mått;värde\n2024Q1;Mälaren;open_cases;7\n".as_bytes());
    assert_eq!(r.encoding, SourceEncoding::Utf8Bom);
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    assert_eq!(r.observations.len(), 1);
}

#[test]
fn windows_1252() {
    let bytes = b"period;enhet;m\xe5tt;v\xe4rde\r\n2024Q1;M\xe4laren;open_cases;12\r\n";
    let r = read(bytes);
    assert_eq!(r.encoding, SourceEncoding::Windows1252);
    let o = obs(bytes);
    assert_eq!(o[0].1, "malaren");
    assert_eq!(o[0].4, Value::final_(12.0));
}

#[test]
fn each_delimiter() {
    for d in [",", ";", "\t"] {
        let text = format!("period{d}unit{d}measure{d}value\n2024Q1{d}nordost{d}open_cases{d}5\n");
        assert_eq!(one(text.as_bytes()), Value::final_(5.0), "{d:?}");
        assert_eq!(read(text.as_bytes()).delimiter, d.as_bytes()[0]);
    }
    // An Excel `sep=` line.
    assert_eq!(
        one(b"sep=;\nperiod;unit;open_cases\n2024Q1;nordost;5\n"),
        Value::final_(5.0)
    );
    // Commas inside quotes do not count.
    assert_eq!(sniff_delimiter("\"a,b,c\";x;y\n").0, b';');
}

#[test]
fn crlf_and_lf() {
    let crlf = one(b"period;unit;open_cases\r\n2024Q1;nordost;5\r\n");
    let lf = one(b"period;unit;open_cases\n2024Q1;nordost;5");
    assert_eq!(crlf, lf);
}

/// Lines ended by a lone CR (classic Mac OS, some Excel exports) are read
/// as lines: every row, and each problem on its own line, not line 1.
#[test]
fn lines_ended_by_a_lone_cr_are_counted() {
    let cr = one(b"period;unit;open_cases\r2024Q1;nordost;5\r");
    assert_eq!(cr, one(b"period;unit;open_cases\n2024Q1;nordost;5\n"));
    for bytes in [
        &b"period,unit,measure,value\r2024Q1,nordost,open_cases,5\r2024Q2,nordost,open_cases,5x\r2024Q3,nordst,open_cases,5\r"[..],
        // Windows-1252, with a lone CR and a CRLF.
        &b"period,unit,measure,value\r2024Q1,nordost,open_cases,5\r\n2024Q2,nordost,open_cases,5x\r2024Q3,nordst,open_cases,5 \xe4\r"[..],
    ] {
        let e = errors(bytes);
        let lines: Vec<(Option<usize>, &str)> =
            e.iter().map(|d| (d.line, d.message.as_str())).collect();
        assert!(lines.contains(&(Some(3), "unparseable number")), "{lines:?}");
        assert!(lines.contains(&(Some(4), "unknown unit")), "{lines:?}");
    }
}

#[test]
fn decimal_comma_and_thousands() {
    assert_eq!(
        one(b"period;unit;staff_fte\n2024Q1;nordost;31,5\n"),
        Value::final_(31.5)
    );
    assert_eq!(
        one(b"period,unit,staff_fte\n2024Q1,nordost,31.5\n"),
        Value::final_(31.5)
    );
    assert_eq!(
        one(b"period;unit;open_cases\n2024Q1;nordost;1 234\n"),
        Value::final_(1234.0)
    );
    assert_eq!(
        one("period;unit;open_cases\n2024Q1;nordost;1\u{a0}234\n".as_bytes()),
        Value::final_(1234.0)
    );
    assert_eq!(
        one("period;unit;open_cases\n2024Q1;nordost;1\u{202f}234\n".as_bytes()),
        Value::final_(1234.0)
    );
    assert_eq!(
        one(b"period,unit,open_cases\n2024Q1,nordost,\"1 234\"\n"),
        Value::final_(1234.0)
    );
    // A decimal comma in a comma-separated file is an error, with help.
    let e = errors(b"period,unit,staff_fte\n2024Q1,nordost,\"31,5\"\n");
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].message, "unparseable number");
    assert!(e[0].help.as_deref().unwrap().contains("decimal comma"));
}

#[test]
fn every_symbol_in_a_wide_cell() {
    let cases = [
        ("..", None, Status::NotAvailable),
        ("NA", None, Status::NotAvailable),
        (".", None, Status::NotApplicable),
        ("z", None, Status::NotApplicable),
        ("x", None, Status::Suppressed),
        ("c", None, Status::Suppressed),
        ("U", None, Status::Suppressed),
        ("low", None, Status::RoundsToZero),
        ("u", None, Status::LowReliability),
        ("431 p", Some(431.0), Status::Provisional),
        ("431 r", Some(431.0), Status::Revised),
        ("431 e", Some(431.0), Status::Estimated),
        ("431 u", Some(431.0), Status::LowReliability),
        ("1 234 p", Some(1234.0), Status::Provisional),
    ];
    for (cell, number, status) in cases {
        let text = format!("period;unit;open_cases\n2024Q1;nordost;{cell}\n");
        assert_eq!(one(text.as_bytes()), Value { number, status }, "{cell}");
    }
    // A provisional marker alone has no number to qualify.
    let e = errors(b"period;unit;open_cases\n2024Q1;nordost;p\n");
    assert_eq!(e[0].message, "the status `p` needs a number beside it");
    let e = errors(b"period;unit;open_cases\n2024Q1;nordost;?\n");
    assert_eq!(e[0].message, "unknown symbol");
    assert_eq!(e[0].expected.as_deref(), Some(SYMBOLS_EXPECTED));
}

#[test]
fn status_column_in_long_files() {
    let head = "period,unit,measure,value,status\n";
    let v = |row: &str| one(format!("{head}{row}\n").as_bytes());
    assert_eq!(
        v("2024Q1,nordost,open_cases,431,p"),
        Value {
            number: Some(431.0),
            status: Status::Provisional
        }
    );
    assert_eq!(
        v("2024Q1,nordost,open_cases,,.."),
        Value::symbol(Status::NotAvailable)
    );
    assert_eq!(
        v("2024Q1,nordost,open_cases,..,"),
        Value::symbol(Status::NotAvailable)
    );
    assert_eq!(
        v("2024Q1,nordost,open_cases,x,x"),
        Value::symbol(Status::Suppressed)
    );
    assert_eq!(
        v("2024Q1,nordost,open_cases,,u"),
        Value::symbol(Status::LowReliability)
    );
    // An empty value with no status is a gap, not zero.
    assert!(obs(format!("{head}2024Q1,nordost,open_cases,,\n").as_bytes()).is_empty());
    // A symbol that replaces a number cannot stand beside one.
    let e = errors(format!("{head}2024Q1,nordost,open_cases,3,x\n").as_bytes());
    assert_eq!(e.len(), 1);
    assert_eq!((e[0].line, e[0].column), (Some(2), Some(29)));
    let e = errors(format!("{head}2024Q1,nordost,open_cases,,p\n").as_bytes());
    assert_eq!(e[0].message, "the status `p` needs a number beside it");
    let e = errors(format!("{head}2024Q1,nordost,open_cases,3,pp\n").as_bytes());
    assert_eq!(e[0].message, "unknown status symbol");
}

#[test]
fn every_period_spelling_in_a_csv() {
    for p in [
        "2024Q1",
        "2024-Q1",
        "2024 Q1",
        "Q1 2024",
        "2024K1",
        "2024 kv1",
        "kv 1 2024",
        "Kv1 2024",
    ] {
        let text = format!("kvartal;enhet;open_cases\n{p};nordost;3\n");
        assert_eq!(obs(text.as_bytes())[0].3, "2024Q1", "{p}");
    }
}

#[test]
fn annual_measures() {
    let o = obs("år;enhet;workforce\n2022;nordost;10\n2023;nordost;12\n".as_bytes());
    assert_eq!(o[1].3, "2023");
    let o = obs(b"Year,Unit,Measure,Value\n2023,nordost,workforce,12\n");
    assert_eq!(o[0].3, "2023");
}

#[test]
fn long_and_wide_and_groups_and_names() {
    let r = read(b"period,unit,measure,value\n2024Q1,nordost,open_cases,4\n");
    assert_eq!(r.shape, Some(Shape::Long));
    let wide = "Kvartal;Enhet;Grupp;aktuella_arenden;ÅRSARBETARE\n2024Q1;Nordost;K;10;2,5\n2024Q1;Mälaren;M;11 p;..\n";
    let r = read(wide.as_bytes());
    assert_eq!(r.shape, Some(Shape::Wide));
    let o = obs(wide.as_bytes());
    assert_eq!(o.len(), 4);
    assert_eq!(
        (o[0].0.as_str(), o[0].1.as_str(), o[0].2.as_str()),
        ("open_cases", "nordost", "K")
    );
    assert_eq!((o[1].0.as_str(), o[1].4), ("staff_fte", Value::final_(2.5)));
    assert_eq!((o[3].1.as_str(), o[3].2.as_str()), ("malaren", "M"));
    assert_eq!(o[3].4, Value::symbol(Status::NotAvailable));
    // Long with a group column; an empty group is the total.
    let o = obs(b"period,unit,measure,value,group\n2024Q1,nordost,open_cases,4,T\n2024Q1,nordost,open_cases,4,\n");
    assert_eq!((o[0].2.as_str(), o[1].2.as_str()), ("T", ""));
    // Empty wide cells are gaps.
    assert!(obs(b"period;unit;open_cases\n2024Q1;nordost;\n").is_empty());
}

#[test]
fn located_errors() {
    let e = errors(b"period;unit;open_cases\n2024Q1;nordst;5\n2024Q9;nordost;-1\n");
    assert_eq!(e.len(), 3, "{e:#?}");
    assert_eq!(e[0].message, "unknown unit");
    assert_eq!((e[0].line, e[0].column), (Some(2), Some(8)));
    assert_eq!(e[0].help.as_deref(), Some("did you mean `nordost`?"));
    assert_eq!(e[1].message, "unparseable period");
    assert_eq!((e[1].line, e[1].column), (Some(3), Some(1)));
    assert!(e[2].message.starts_with("negative value"));
    assert_eq!((e[2].line, e[2].column), (Some(3), Some(16)));
}

#[test]
fn a_wide_header_of_unknown_columns_is_located_in_one_walk() {
    // Once quadratic: every unknown column was located from the start
    // of the line (80,000 columns took 43 s). Under `MAX_COLUMNS`, which
    // refuses a wider header as a whole.
    let mut text = String::from("period;unit");
    for i in 0..9_000 {
        text.push_str(&format!(";\"ok;änd\"\"{i}\""));
    }
    text.push_str("\n2024Q1;nordost\n");
    let e = errors(text.as_bytes());
    assert_eq!(e.len(), MAX_DIAGNOSTICS_PER_FILE + 1);
    assert_eq!(e[0].message, "unknown measure column");
    // Each error where `locate` puts it, quotes and `ä` counted right.
    for (field, d) in e[..MAX_DIAGNOSTICS_PER_FILE].iter().enumerate() {
        let mut p = Position::new();
        p.set_line(1);
        let at = locate(&text, &p, b';', field + 2);
        assert_eq!((d.line, d.column), (Some(at.0), Some(at.1)), "{d:?}");
    }
    assert_eq!(e[1].column, Some(13 + 11 + 1));
    assert!(
        e[MAX_DIAGNOSTICS_PER_FILE]
            .message
            .contains("more problems")
    );
    // A second `period` at the end is named, with where the first is.
    let text = "period;unit;period;open_cases\n2024Q1;nordost;x;5\n";
    let e = errors(text.as_bytes());
    assert!(
        e[0].expected
            .as_deref()
            .unwrap()
            .contains("column 1 of line 1"),
        "{e:?}"
    );
}

#[test]
fn locate_handles_quotes_and_multibyte_text() {
    let text = "a;\"x;y\";Mälaren;v\n";
    let mut p = Position::new();
    p.set_byte(0).set_line(1);
    assert_eq!(locate(text, &p, b';', 3), (1, 17));
    let text = "h\n\"multi\nline\";b\n";
    p.set_byte(2).set_line(2);
    assert_eq!(locate(text, &p, b';', 1), (3, 7));
}

#[test]
fn empty_files_and_blank_lines() {
    for bytes in [&b""[..], b"\n\n", b"\xEF\xBB\xBF", b" \r\n"] {
        let e = errors(bytes);
        assert_eq!(e.len(), 1);
        assert!(e[0].message.contains("empty"), "{e:?}");
    }
    assert_eq!(
        obs(b"period;unit;open_cases\n\n2024Q1;nordost;5\n;;\n").len(),
        1
    );
}

#[test]
fn personal_numbers_anywhere_are_reported_without_the_value() {
    let e = errors(b"period;unit;open_cases\n2024Q1;811218-9876;5\n");
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!((e[0].line, e[0].column), (Some(2), Some(8)));
    assert!(e[0].found.is_none());
    assert!(!e[0].render_plain().contains("9876"));
    let e = errors(b"period;unit;198112189876\n2024Q1;nordost;5\n");
    assert!(!format!("{e:?}").contains("9876"), "{e:?}");
    assert!(
        e.iter()
            .any(|d| d.message.contains("personal identity number"))
    );
}

#[test]
fn huge_fields_nul_bytes_and_invalid_utf8_do_not_panic() {
    let mut big = b"period;unit;open_cases\n2024Q1;nordost;".to_vec();
    big.extend(std::iter::repeat_n(b'9', 2_000_000));
    big.push(b'\n');
    let e = errors(&big);
    assert_eq!(e[0].message, "a field is 2000000 bytes long");
    assert!(e[0].found.is_none(), "a huge field must not be echoed");
    // A field on one line owes nothing to a quote.
    assert_eq!(e[0].help, None);
    assert_eq!(
        errors(b"period;unit;open_cases\n2024Q1;nordost;\0\n")[0].message,
        "the file contains a NUL character"
    );
    let _ = read(b"\xff\xfe\x00p\x00e\x00r\x00");
    let _ = read(b"\"unterminated;quote\n2024Q1");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]
    #[test]
    fn reader_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = read(&bytes);
    }

    #[test]
    fn reader_never_panics_under_a_valid_header(
        head in prop::sample::select(vec!["period;unit;open_cases;staff_fte\n", "period,unit,measure,value,status,group\r\n", "år\tenhet\tworkforce\n"]),
        body in "[0-9a-zA-Z;,\t\"\\.\\- \r\n\u{a0}\u{0}åäö]{0,300}",
    ) {
        let _ = read(format!("{head}{body}").as_bytes());
    }

    #[test]
    fn period_parser_never_panics(s in "\\PC{0,40}") {
        let _ = Period::parse(&s);
    }
}
