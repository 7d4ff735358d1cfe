//! Entry points for fuzzing: each takes arbitrary bytes, runs one parser of
//! hostile input and must never panic. The same functions drive the
//! cargo-fuzz targets under `fuzz/`, the proptest targets below (run by
//! `cargo test`) and `examples/fuzz_smoke.rs` (millions of generated inputs
//! in release mode, no nightly needed). See README.md, "Fuzzing".
//!
//! Where an invariant can be checked cheaply, the entry point checks it and
//! panics when it is broken, so the fuzzer reports it as a crash: rendered
//! Markdown never holds a live `<script>`, event handler or script address,
//! and a parsed chart spec's problems point inside the text.

use std::path::Path;
use std::sync::OnceLock;

use crate::chart::ChartSpec;
use crate::content::{Embed, parse_shortcode, render_markdown, split_and_parse};
use crate::data::csv::{Lookup, read_bytes};
use crate::data::meta::{parse_measures, parse_units};
use crate::data::number::parse_number;
use crate::data::{Measures, Period, Units};

/// Every target, by name (the names of `fuzz/fuzz_targets/*.rs` and of the
/// seed folders `fuzz/corpus/<name>/`).
/// A fuzz target: arbitrary bytes in, a panic on any failure.
pub type Target = fn(&[u8]);

pub const TARGETS: &[(&str, Target)] = &[
    ("csv", csv),
    ("number", number),
    ("period", period),
    ("front_matter", front_matter),
    ("shortcode", shortcode),
    ("markdown", markdown),
    ("chart_spec", chart_spec),
    ("meta", meta),
];

const UNITS: &str = r#"
[areas.bou]
name = "Barn och unga"
[units.nordost]
name = "Nordost"
area = "bou"
[units.sydvast]
name = "Sydväst"
area = "bou"
"#;

const MEASURES: &str = r#"
[measures.open_cases]
label = "Aktuella ärenden"
unit = "count"
columns = ["aktuella_arenden"]
[measures.staff_fte]
label = "Årsarbetare"
unit = "fte"
[measures.share]
label = "Andel"
unit = "percent"
[measures.cases_per_fte]
label = "Ärenden per årsarbetare"
unit = "ratio"
ratio = ["open_cases", "staff_fte"]
"#;

fn fixed_meta() -> &'static (Units, Measures) {
    static META: OnceLock<(Units, Measures)> = OnceLock::new();
    META.get_or_init(|| {
        let u = parse_units(Path::new("data/units.toml"), UNITS);
        let m = parse_measures(Path::new("data/measures.toml"), MEASURES);
        (u.value, m.value)
    })
}

fn text(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// The CSV reader on a whole file's bytes (decoding, sniffing, records).
pub fn csv(data: &[u8]) {
    let (units, measures) = fixed_meta();
    let lookup = Lookup::new(units, measures);
    let read = read_bytes(Path::new("data/fuzz.csv"), data, &lookup);
    std::hint::black_box(read);
}

/// The number parser, with and without decimal comma.
pub fn number(data: &[u8]) {
    let s = text(data);
    for comma in [false, true] {
        if let Some(n) = parse_number(&s, comma) {
            assert!(n.is_finite(), "{s:?} gave {n}");
        }
    }
}

/// The period parser; a parsed period prints as text that parses back to it.
pub fn period(data: &[u8]) {
    let s = text(data);
    if let Some(p) = Period::parse(&s) {
        let again = Period::parse(&p.to_string());
        assert_eq!(again, Some(p), "{s:?} → {p} does not read back");
    }
}

/// Front matter splitting and parsing.
pub fn front_matter(data: &[u8]) {
    let s = text(data);
    if let Ok((_, body, line)) = split_and_parse(Path::new("content/fuzz.md"), &s) {
        assert!(line >= 3, "the body cannot start before line 3");
        assert!(s.ends_with(body));
    }
}

/// The shortcode parser, on the text between `{{` and `}}`.
pub fn shortcode(data: &[u8]) {
    let s = text(data);
    if let Err(e) = parse_shortcode(&s, 7) {
        assert!(
            e.offset >= 7 && e.offset <= 7 + s.len(),
            "{e:?} outside {s:?}"
        );
    }
}

/// The Markdown renderer with chart blocks and shortcodes. The first byte
/// chooses `allow_html`. Whatever the input, the output holds no live
/// script: no `<script`, no `on…=` attribute, no script address.
pub fn markdown(data: &[u8]) {
    let allow_html = data.first().is_some_and(|b| b & 1 == 1);
    let s = text(data.get(1..).unwrap_or_default());
    let rendered = render_markdown(
        Path::new("content/fuzz.md"),
        &s,
        5,
        allow_html,
        &crate::content::TypedFigures::percentages_only(),
        &mut |embed| match embed {
            Embed::Chart { spec, .. } => {
                let _ = ChartSpec::parse(spec);
                Ok("<figure class=\"chart\"><img src=\"c.svg\" alt=\"x\"></figure>".into())
            }
            Embed::Figure { shortcode, .. } => Ok(format!(
                "<span class=\"figure\">{}</span>",
                crate::escape::html(shortcode.arg("unit").unwrap_or(""))
            )),
        },
    );
    if let Ok(out) = rendered {
        assert_no_live_script(&out.html);
    }
}

/// Panics when `html` holds a `<script` element, an event-handler
/// attribute or a `href`/`src` that would run script.
pub fn assert_no_live_script(html: &str) {
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "a script element in {html:?}");
    let dom = tl::parse(html, tl::ParserOptions::default()).expect("tl never fails on text");
    for node in dom.nodes() {
        let Some(tag) = node.as_tag() else { continue };
        for (key, value) in tag.attributes().iter() {
            let key = key.to_ascii_lowercase();
            assert!(
                !key.starts_with("on"),
                "an event handler `{key}` in {html:?}"
            );
            assert!(key != "style", "an inline style in {html:?}");
            if key == "href" || key == "src" {
                let value = decode_entities(&value.unwrap_or_default());
                let scheme = url_scheme(&value);
                assert!(
                    !matches!(scheme.as_deref(), Some("javascript" | "vbscript" | "data")),
                    "a script address `{value}` in {html:?}"
                );
            }
        }
    }
}

/// The scheme a browser reads from an address (WHATWG URL: leading spaces
/// and control characters and every tab and line break ignored; a letter,
/// then letters, digits, `+`, `-`, `.` up to `:`), lower-cased.
fn url_scheme(url: &str) -> Option<String> {
    let cleaned: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let (scheme, _) = cleaned.split_once(':')?;
    let mut chars = scheme.chars();
    let ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    ok.then(|| scheme.to_ascii_lowercase())
}

/// Undoes the character references a serialiser may write in an attribute.
fn decode_entities(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let Some(end) = after.find(';').filter(|e| *e <= 10) else {
            out.push('&');
            rest = after;
            continue;
        };
        let name = &after[..end];
        let c = match name {
            "amp" => Some('&'),
            "quot" => Some('"'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "apos" => Some('\''),
            _ => name
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The chart-spec parser (a chart block's TOML).
pub fn chart_spec(data: &[u8]) {
    let s = text(data);
    if let Err(problems) = ChartSpec::parse(&s) {
        for p in problems {
            if let Some(offset) = p.offset {
                assert!(offset <= s.len(), "{p:?} outside the text");
            }
        }
    }
}

/// `units.toml` and `measures.toml` parsers on the same text.
pub fn meta(data: &[u8]) {
    let s = text(data);
    let u = parse_units(Path::new("data/units.toml"), &s);
    let m = parse_measures(Path::new("data/measures.toml"), &s);
    // An id that became a unit or measure is one that is safe in a path,
    // or the file has an error saying so.
    if u.diagnostics.is_empty() {
        assert!(
            u.value
                .units
                .keys()
                .all(|k| crate::data::meta::is_safe_id(k))
        );
    }
    if m.diagnostics.is_empty() {
        assert!(
            m.value
                .measures
                .keys()
                .all(|k| crate::data::meta::is_safe_id(k))
        );
    }
}

/// Pieces that matter to each parser, for generated inputs: the proptest
/// targets below and `examples/fuzz_smoke.rs` splice them with noise.
pub fn dictionary(target: &str) -> &'static [&'static str] {
    match target {
        "csv" => CSV,
        "number" => NUMBER,
        "period" => PERIOD,
        "front_matter" => FRONT,
        "shortcode" => SHORTCODE,
        "markdown" => MARKDOWN,
        "chart_spec" => SPEC,
        "meta" => META,
        _ => &[],
    }
}

pub const CSV: &[&str] = &[
    "period",
    "unit",
    "measure",
    "value",
    "status",
    "group",
    "kvartal",
    "enhet",
    "mått",
    "värde",
    "grupp",
    ",",
    ";",
    "\t",
    "\n",
    "\r\n",
    "\"",
    "\"\"",
    "2024Q1",
    "2024 K2",
    "kv 1 2024",
    "2024",
    "nordost",
    "Nordost",
    "Sydväst",
    "open_cases",
    "staff_fte",
    "share",
    "aktuella_arenden",
    "cases_per_fte",
    "1 234",
    "31,5",
    "31.5",
    "-3",
    "101",
    "p",
    "r",
    "..",
    "x",
    "low",
    "sep=;\n",
    "\u{feff}",
    "\u{a0}",
    "811218-9876",
    "\u{0}",
    "\u{e5}",
];
pub const NUMBER: &[&str] = &[
    "0", "1", "9", " ", "\u{a0}", "\u{202f}", ",", ".", "-", "\u{2212}", "+", "e", "123", "999",
];
pub const PERIOD: &[&str] = &[
    "2024", "1999", "Q", "q", "K", "k", "kv", "Kv", " ", "-", "1", "4", "5", "0", "Q1 ", "-Q",
];
pub const FRONT: &[&str] = &[
    "+++",
    "+++\n",
    "\n",
    "\r\n",
    "title = ",
    "\"",
    "x",
    "summary = ",
    "date = ",
    "2024-10-20",
    "period = \"2024Q3\"",
    "limitations = [",
    "]",
    ",",
    "draft = true",
    "weight = -9223372036854775808",
    "[a]",
    "=",
    "'''",
    "\u{feff}",
    "#",
    "\\u0000",
];
pub const SHORTCODE: &[&str] = &[
    " ",
    "value",
    "change",
    "(",
    ")",
    "measure",
    "unit",
    "period",
    "from",
    "to",
    "group",
    "=",
    "\"",
    "\\\"",
    ",",
    "open_cases",
    "2024Q3",
    "'",
    "é",
    "\u{a0}",
    "}}",
    "{{",
];
pub const MARKDOWN: &[&str] = &[
    "\n",
    "\n\n",
    "# ",
    "## ",
    "{#id onclick=x .c}",
    "{onclick=alert(1)}",
    "[",
    "]",
    "(",
    ")",
    "![",
    "javascript:",
    "JaVaScRiPt:",
    "java\tscript:",
    "&#106;",
    "data:text/html,",
    "https://x/",
    "<script>",
    "</script>",
    "<img src=x onerror=alert(1)>",
    "<a href=\"",
    "\" onclick=\"",
    "<b style=\"x\">",
    "```",
    "```chart\n",
    "type = \"growth\"\n",
    "~~~",
    "`",
    "{{ value(measure=\"m\", unit=\"u\", period=\"2024Q3\") }}",
    "{{",
    "}}",
    "| a | b |\n",
    "|:--|--:|\n",
    "[^1]",
    "[^1]: ",
    "[r]: javascript:x\n",
    "[r]",
    "<!--",
    "-->",
    "\u{e000}",
    "\u{e001}",
    "0",
    "*",
    "_",
    "> ",
    "- ",
    "1. ",
    "    ",
    "\\",
    "&",
    "<",
    ">",
    "\"",
    "'",
];
pub const SPEC: &[&str] = &[
    "\n",
    "type = ",
    "\"growth\"",
    "\"per_fte\"",
    "\"series\"",
    "\"bars\"",
    "\"compare\"",
    "\"workload\"",
    "caseload = ",
    "staffing = ",
    "measure = ",
    "measures = ",
    "unit = ",
    "units = ",
    "from = ",
    "to = ",
    "group = ",
    "title = ",
    "base = ",
    "\"2024Q3\"",
    "\"open_cases\"",
    "[",
    "]",
    ",",
    "\"",
    "=",
    "1",
    "1e999",
    "true",
    "{ a = 1 }",
    "[x]",
    "'",
    "\"\"\"",
    "\\u00e5",
    "#",
];
pub const META: &[&str] = &[
    "\n",
    "[units.",
    "[measures.",
    "[areas.",
    "[[measures.x.breaks]]",
    "]",
    "nordost",
    "\"../x\"",
    "\"a/b\"",
    "name = ",
    "area = ",
    "parent = ",
    "label = ",
    "unit = ",
    "\"count\"",
    "\"ratio\"",
    "ratio = [\"a\", \"b\"]",
    "kind = \"flow\"",
    "role = ",
    "columns = [",
    "period = \"2024Q1\"",
    "note = ",
    "{ sv = \"a\", en = \"b\" }",
    "\"x\"",
    "=",
    ",",
    "]",
    "definition = ",
    "limitations = [",
    "x",
    "a",
    "b",
];

#[cfg(test)]
mod tests {
    //! Proptest targets, bounded to 256 cases each so the suite stays fast.
    //! The CSV reader on arbitrary bytes and the number and period parsers
    //! already have their own in `src/data/`.
    use super::*;
    use proptest::prelude::*;

    /// Text built from pieces that matter to the parser, with noise.
    fn pieces(tokens: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                4 => prop::sample::select(tokens).prop_map(str::to_string),
                1 => "\\PC{0,6}",
                1 => any::<char>().prop_map(|c| c.to_string()),
            ],
            0..max,
        )
        .prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn front_matter_never_panics(s in pieces(FRONT, 40), bytes in prop::collection::vec(any::<u8>(), 0..64)) {
            front_matter(s.as_bytes());
            front_matter(&bytes);
        }

        #[test]
        fn shortcode_parser_never_panics(s in pieces(SHORTCODE, 30)) {
            shortcode(s.as_bytes());
        }

        #[test]
        fn markdown_never_panics_nor_lets_script_through(allow in any::<bool>(), s in pieces(MARKDOWN, 40)) {
            let mut data = vec![u8::from(allow)];
            data.extend_from_slice(s.as_bytes());
            markdown(&data);
        }

        #[test]
        fn chart_spec_parser_never_panics(s in pieces(SPEC, 30)) {
            chart_spec(s.as_bytes());
        }

        #[test]
        fn meta_parsers_never_panic(s in pieces(META, 40)) {
            meta(s.as_bytes());
        }
    }

    #[test]
    fn every_target_survives_its_seed_corpus() {
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
        let mut seeds = 0;
        for (name, target) in TARGETS {
            let dir = corpus.join(name);
            let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{dir:?}: {e}"));
            for entry in entries {
                let bytes = std::fs::read(entry.unwrap().path()).unwrap();
                target(&bytes);
                seeds += 1;
            }
        }
        assert!(seeds >= TARGETS.len() * 2, "{seeds} seeds");
    }
}
