//! Times the parsers on the inputs that once took minutes (README.md,
//! "Hostile input"): Markdown with 100,000 empty list items, 50,000
//! identical headings, 100,000 nested or stacked block quotes and 100,000
//! shortcodes; a CSV header with 80,000 unknown columns and a CSV with a
//! million duplicate rows (with the size of the errors shown for it).
//!
//! ```sh
//! cargo run --release --example hostile_timing            # full sizes
//! cargo run --release --example hostile_timing -- 0.1     # a tenth of them
//! ```

use std::path::Path;
use std::time::Instant;

use insyn::content::{Embed, render_markdown};
use insyn::data::csv::{Lookup, read_bytes};
use insyn::data::meta::{parse_measures, parse_units};
use insyn::diagnostics::for_display;

const UNITS: &str = "[areas.a]\nname = \"A\"\n[units.alfa]\nname = \"Alfa\"\narea = \"a\"\n";
const MEASURES: &str = "[measures.open_cases]\nlabel = \"Ärenden\"\nunit = \"count\"\n";

fn main() {
    let scale: f64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1.0);
    let n = |full: usize| ((full as f64 * scale) as usize).max(1);

    let markdown_cases: [(&str, String); 6] = [
        ("100,000 `- ` lines", "- \n".repeat(n(100_000))),
        (
            "100,000 `- ` on one line",
            format!("{}x", "- ".repeat(n(100_000))),
        ),
        (
            "50,000 identical headings",
            "# Rubrik\n\n".repeat(n(50_000)),
        ),
        ("100,000 `>` on one line", ">".repeat(n(100_000))),
        ("100,000 `>` lines", ">\n".repeat(n(100_000))),
        (
            "100,000 shortcodes",
            "{{ value(measure=\"m\", unit=\"u\", period=\"2024Q3\") }} `c` ".repeat(n(100_000)),
        ),
    ];
    for (name, body) in markdown_cases {
        let started = Instant::now();
        let out = render_markdown(
            Path::new("content/x.md"),
            &body,
            5,
            false,
            &insyn::content::TypedFigures::percentages_only(),
            &mut |e| {
                Ok(match e {
                    Embed::Chart { .. } => "<figure></figure>".to_string(),
                    Embed::Figure { .. } => "1".to_string(),
                })
            },
        );
        let bytes = out.map(|o| o.html.len()).unwrap_or(0);
        report(name, body.len(), started, &format!("{bytes} bytes of HTML"));
    }

    let units = parse_units(Path::new("data/units.toml"), UNITS).value;
    let measures = parse_measures(Path::new("data/measures.toml"), MEASURES).value;
    let lookup = Lookup::new(&units, &measures);

    let mut header = String::from("period,unit");
    for i in 0..n(80_000) {
        header.push_str(&format!(",okand_kolumn_{i}"));
    }
    header.push_str("\n2024Q1,alfa\n");
    time_csv("a header with 80,000 unknown columns", &header, &lookup);

    let mut rows = String::from("period,unit,measure,value\n");
    rows.push_str(&"2024Q1,alfa,open_cases,5\n".repeat(n(1_000_000)));
    time_load("1,000,000 duplicate rows", &rows);
}

fn time_csv(name: &str, text: &str, lookup: &Lookup<'_>) {
    let started = Instant::now();
    let read = read_bytes(Path::new("data/x.csv"), text.as_bytes(), lookup);
    let shown = shown_bytes(read.diagnostics);
    report(
        name,
        text.len(),
        started,
        &format!("{shown} bytes of errors"),
    );
}

/// Through the whole data loader (duplicates are found when files merge).
fn time_load(name: &str, csv: &str) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).expect("data/");
    std::fs::write(data.join("units.toml"), UNITS).expect("units.toml");
    std::fs::write(data.join("measures.toml"), MEASURES).expect("measures.toml");
    std::fs::write(data.join("x.csv"), csv).expect("x.csv");
    let started = Instant::now();
    let problems = insyn::data::load(dir.path()).err().unwrap_or_default();
    let shown = shown_bytes(problems);
    report(
        name,
        csv.len(),
        started,
        &format!("{shown} bytes of errors"),
    );
}

/// The size of the errors as printed (plain form).
fn shown_bytes(problems: Vec<insyn::diagnostics::Diagnostic>) -> usize {
    for_display(problems)
        .iter()
        .map(|d| d.render_plain().len() + 2)
        .sum()
}

fn report(name: &str, input: usize, started: Instant, what: &str) {
    println!(
        "{name:<40} {:>10} bytes in {:>8.3} s ({what})",
        input,
        started.elapsed().as_secs_f64()
    );
}
