//! The real Kolada export (`../shared/real-data/`, not copied into the
//! repository) as a format sample: Windows-1252 without BOM, semicolons,
//! CRLF, municipalities by name, decimal point, annual periods.
//!
//! Its header (`Kommun/Landsting;Nyckeltal;År;Visat Värde`) is not our
//! contract, so the end-to-end test replaces only the header line with the
//! Swedish long header (`Enhet;Mått;År;Värde`, itself written in
//! Windows-1252) and builds units.toml / measures.toml from the names in the
//! file; every data byte after the header is read as exported.
//!
//! The DfE workforce file goes through `insyn import tidy` as published and
//! is built as a site with no hand edits; its figures are checked against
//! the source rows.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use insyn::data::csv::{SourceEncoding, decode, sniff_delimiter};
use insyn::data::number::parse_number;
use insyn::data::{Period, load};

fn kolada() -> Option<Vec<u8>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/real-data/se_kolada_export_2012_latin1_semicolon_crlf.csv");
    match std::fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(_) => {
            println!("skipped: {} is absent", path.display());
            None
        }
    }
}

fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

#[test]
fn kolada_export_decodes_sniffs_and_reads_periods_and_numbers() {
    let Some(bytes) = kolada() else { return };
    let (text, encoding) = decode(std::path::Path::new("kolada.csv"), &bytes).unwrap();
    assert_eq!(encoding, SourceEncoding::Windows1252);
    assert_eq!(sniff_delimiter(&text), (b';', false));
    let header = text.lines().next().unwrap();
    assert_eq!(header, "Kommun/Landsting;Nyckeltal;År;Visat Värde");
    assert!(text.contains("\r\n"));
    let mut rows = 0;
    for line in text.lines().skip(1) {
        let cells: Vec<&str> = line.split(';').collect();
        assert_eq!(cells.len(), 4, "{line}");
        let period = Period::parse(cells[2]).unwrap();
        assert!(matches!(period, Period::Year(2008..=2012)), "{line}");
        if !cells[3].is_empty() {
            assert!(parse_number(cells[3], true).is_some(), "{line}");
        }
        rows += 1;
    }
    assert!(rows > 13_000);
}

#[test]
fn kolada_export_loads_end_to_end_with_our_header() {
    let Some(bytes) = kolada() else { return };
    let (text, _) = decode(std::path::Path::new("data.csv"), &bytes).unwrap();
    let mut municipalities = BTreeSet::new();
    let mut key_figures = BTreeSet::new();
    for line in text.lines().skip(1) {
        let cells: Vec<&str> = line.split(';').collect();
        municipalities.insert(cells[0].to_string());
        key_figures.insert(cells[1].to_string());
    }
    let mut units = String::new();
    for (i, name) in municipalities.iter().enumerate() {
        units.push_str(&format!(
            "[units.k{i:03}]\nname = {}\n\n",
            toml_string(name)
        ));
    }
    let mut measures = String::new();
    for (i, name) in key_figures.iter().enumerate() {
        let unit = if name.contains("(%)") {
            "percent"
        } else {
            "points"
        };
        measures.push_str(&format!(
            "[measures.m{i:02}]\nlabel = {0}\nunit = \"{unit}\"\nkind = \"stock\"\nrole = \"indicator\"\ncolumns = [{0}]\n\n",
            toml_string(name)
        ));
    }
    let header_end = bytes.windows(2).position(|w| w == b"\r\n").unwrap();
    let mut csv = b"Enhet;M\xe5tt;\xc5r;V\xe4rde".to_vec();
    csv.extend_from_slice(&bytes[header_end..]);

    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::write(data.join("units.toml"), units).unwrap();
    std::fs::write(data.join("measures.toml"), measures).unwrap();
    std::fs::write(data.join("kolada.csv"), csv).unwrap();

    let dataset = match load(tmp.path()) {
        Ok(d) => d,
        Err(e) => panic!(
            "{}",
            e.iter()
                .take(10)
                .map(|d| d.render_plain())
                .collect::<Vec<_>>()
                .join("\n")
        ),
    };
    let observations: usize = dataset.series.values().map(|s| s.points.len()).sum();
    let non_empty = text.lines().skip(1).filter(|l| !l.ends_with(';')).count();
    assert_eq!(observations, non_empty);
    assert!(dataset.series.keys().all(|k| k.group.is_none()));
    assert!(
        dataset
            .series
            .values()
            .flat_map(|s| s.points.keys())
            .all(|p| matches!(p, Period::Year(2008..=2012)))
    );
    // A municipality with å/ä/ö in its name, read from Windows-1252.
    assert!(dataset.units.units.values().any(|u| u.name == "Håbo"));
    // The first data line: "Alla kommuner (ovägt medel);Arbetslöshet, (%);2008;3.83894583".
    let unit = dataset
        .units
        .units
        .values()
        .find(|u| u.name == "Alla kommuner (ovägt medel)")
        .unwrap();
    let measure = dataset.measures.resolve("Arbetslöshet, (%)").unwrap();
    let v = dataset
        .value(&measure.id, &unit.id, Period::Year(2008))
        .unwrap();
    assert_eq!(v.number, Some(3.83894583));
}

fn dfe_workforce() -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/real-data/dfe_csww_indicators_2017_to_2025.csv");
    if path.exists() {
        Some(path)
    } else {
        println!("skipped: {} is absent", path.display());
        None
    }
}

/// The source row of a local authority (by its code) or of England.
fn dfe_row(path: &Path, year: &str, code: &str) -> csv::StringRecord {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (period, la, country, level) = (
        col("time_period"),
        col("new_la_code"),
        col("country_code"),
        col("geographic_level"),
    );
    reader
        .records()
        .map(Result::unwrap)
        .find(|r| {
            r[period] == *year
                && (r[la] == *code || (r[level] == *"National" && r[country] == *code))
        })
        .unwrap_or_else(|| panic!("no row for {code} in {year}"))
}

fn dfe_cell(path: &Path, year: &str, code: &str, column: &str) -> String {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let i = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == column)
        .unwrap();
    dfe_row(path, year, code)[i].to_string()
}

/// An inline figure as an English page shows it: `4,420`.
fn english_thousands(n: &str) -> String {
    let (int, frac) = n.split_once('.').map_or((n, None), |(a, b)| (a, Some(b)));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    match frac {
        Some(f) => format!("{out}.{f}"),
        None => out,
    }
}

/// A site in `root` with `home` as its home page and the DfE workforce
/// file's `measures` imported as `insyn import tidy` is told to, with the
/// region and country rows kept.
fn import_dfe(root: &Path, source: &Path, home: &str, measures: &str) {
    std::fs::write(root.join("site.toml"), DFE_SITE).unwrap();
    std::fs::create_dir(root.join("content")).unwrap();
    std::fs::write(root.join("content/_index.md"), home).unwrap();
    let o = crate::support::insyn()
        .args(["import", "tidy"])
        .arg(source)
        .args([
            "--period",
            "time_period",
            "--unit-code",
            "new_la_code,region_code,country_code",
            "--unit-name",
            "la_name,region_name,country_name",
            "--symbols",
            "gss",
            "--source",
            "Department for Education",
            "--name",
            "csww",
            "--measures",
            measures,
            "--root",
        ])
        .arg(root)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", crate::support::stderr(&o));
}

const DFE_SITE: &str = r#"title = "Children's social work workforce"
organisation = "Test"
base_url = "https://test.example.org/"
language = "en"

[source]
name = "Department for Education, children's social work workforce"
contact = "test@example.org"
extracted = 2025-11-30
"#;

const DFE_HOME: &str = r#"+++
title = "Workforce"
+++

- Leeds: {{ value(measure="cases", unit="e08000035", period="2025") }}
- Sheffield (E08000039): {{ value(measure="cases", unit="e08000039", period="2025") }}
- Sheffield (E08000019): {{ value(measure="cases", unit="e08000019", period="2024") }}
- England: {{ value(measure="cases", unit="e92000001", period="2025") }}

```chart
type = "per_fte"
caseload = "cases"
staffing = "case_holders_fte"
unit = "e08000035"
```

```chart
type = "compare"
measure = "caseload_fte"
unit = "e08000035"
reference = "e92000001"
```
"#;

#[test]
fn dfe_workforce_file_becomes_a_site_with_no_hand_edits() {
    let Some(source) = dfe_workforce() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // Three of the file's 22 measures keep the build short (every unit page
    // draws every measure); the rows are all read.
    import_dfe(
        root,
        &source,
        DFE_HOME,
        "cases,case_holders_fte,caseload_fte",
    );
    let units = std::fs::read_to_string(root.join("data/units.toml")).unwrap();
    // Re-coded authorities keep their name under both codes.
    assert!(units.contains("[units.e08000019]\nname = \"Sheffield\""));
    assert!(units.contains("[units.e08000039]\nname = \"Sheffield\""));
    assert!(units.contains("[units.e92000001]\nname = \"England\"\nreference = true"));
    // An authority's region, and a region's country, are its parent: the
    // sums that disclosure control protects.
    assert!(units.contains("[units.e08000035]\nname = \"Leeds\"\nparent = \"e12000003\"\n"));
    assert!(units.contains("reference = true\nparent = \"e92000001\"\n"));

    let out = root.join("public");
    let o = crate::support::build(root, &out);
    assert!(o.status.success(), "{}", crate::support::stderr(&o));
    let home = crate::support::text(&out, "index.html");
    for (label, year, code) in [
        ("Leeds:", "2025", "E08000035"),
        ("Sheffield (E08000039):", "2025", "E08000039"),
        ("Sheffield (E08000019):", "2024", "E08000019"),
        ("England:", "2025", "E92000001"),
    ] {
        let cases = dfe_cell(&source, year, code, "cases");
        let shown = format!(
            "{label} <span class=\"figure\">{}</span>",
            english_thousands(&cases)
        );
        assert!(home.contains(&shown), "{shown} not on the page");
    }
    // Cases per FTE computed from cases and case-holding FTE equals the
    // publisher's own caseload_fte, to its one decimal.
    let per_fte = std::fs::read_dir(out.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with("per_fte-cases-case_holders_fte-e08000035"))
        .unwrap();
    let csv = crate::support::text(&out, &format!("charts/{per_fte}/data.csv"));
    let row = csv
        .lines()
        .find(|l| l.starts_with("2025,e08000035,cases_per_case_holders_fte,"))
        .unwrap_or_else(|| panic!("{csv}"));
    let computed: f64 = row.split(',').nth(3).unwrap().parse().unwrap();
    let published: f64 = dfe_cell(&source, "2025", "E08000035", "caseload_fte")
        .parse()
        .unwrap();
    assert_eq!(format!("{computed:.1}"), format!("{published:.1}"));
    // England is drawn as a labelled reference line, not ranked as a council.
    let compare = std::fs::read_dir(out.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with("compare-caseload_fte-e08000035-ref-e92000001"))
        .unwrap();
    let svg = crate::support::text(&out, &format!("charts/{compare}/chart.svg"));
    let england = dfe_cell(&source, "2025", "E92000001", "caseload_fte");
    assert!(
        svg.contains(&format!("England: {england}")),
        "England: {england}"
    );
    // The Isles of Scilly (one case-holding FTE) is never published alone.
    assert!(!out.join("units/e06000053").exists());
}

/// A reader with a calculator and the DfE workforce file imported as
/// `insyn import` proposes: each region's figure is published beside its
/// authorities', so a count insyn hides in one authority must not be the
/// region's figure minus the others'. Before the importer declared the
/// regions as parents, 28 counts hidden as `<5` (agency social workers,
/// 2017–2025) were given back exactly that way. Nor may it be the
/// publisher's agency rate times staff in post: before insyn recognised
/// that rate by its numbers, 105 hidden counts had it published beside
/// them (Hartlepool 2020: 3.1 % of 4 + 126 is 4). Nor may the agency FTE
/// say it: 4 FTE beside `<5` are 4 workers (63 such before insyn knew the
/// FTE as that of the people counted).
#[test]
fn dfe_hidden_counts_are_not_their_regions_figure_minus_the_others() {
    let Some(source) = dfe_workforce() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    import_dfe(
        root,
        &source,
        "+++\ntitle = \"Agency\"\n+++\n",
        "agency_headcount,inpost_headcount,agency_rate_headcount,agency_fte",
    );
    let out = root.join("public");
    let o = crate::support::build(root, &out);
    assert!(o.status.success(), "{}", crate::support::stderr(&o));

    // What the site publishes: (unit, year) → its number, if shown.
    let published: std::collections::HashMap<(String, String), Option<f64>> =
        crate::support::text(&out, "data/agency_headcount.csv")
            .lines()
            .skip(1)
            .map(|line| {
                let cells: Vec<&str> = line.split(',').collect();
                let value = cells[cells.len() - 2].parse().ok();
                ((cells[1].to_string(), cells[0].to_string()), value)
            })
            .collect();
    // Each region's authorities in each year, as the source has them,
    // with the authority's own figure there.
    let mut reader = csv::Reader::from_path(&source).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (year, level, region, la, value) = (
        col("time_period"),
        col("geographic_level"),
        col("region_code"),
        col("new_la_code"),
        col("agency_headcount"),
    );
    // (year, region) → each authority with its figure in the source.
    type Authorities = Vec<(String, Option<f64>)>;
    let mut regions: std::collections::BTreeMap<(String, String), Authorities> = Default::default();
    for r in reader.records().map(Result::unwrap) {
        if &r[level] == "Local authority" {
            regions
                .entry((r[year].to_string(), insyn::import::id_from_code(&r[region])))
                .or_default()
                .push((insyn::import::id_from_code(&r[la]), r[value].parse().ok()));
        }
    }
    let mut sums = 0;
    for ((year, region), authorities) in &regions {
        let Some(Some(total)) = published.get(&(region.clone(), year.clone())) else {
            continue;
        };
        sums += 1;
        let shown = |la: &String| {
            published
                .get(&(la.clone(), year.clone()))
                .copied()
                .flatten()
        };
        let unknown: Vec<&(String, Option<f64>)> = authorities
            .iter()
            .filter(|(la, _)| shown(la).is_none())
            .collect();
        // One unknown that the source gave as a number, insyn hid.
        if let [(la, Some(true_value))] = unknown[..] {
            let others: f64 = authorities.iter().filter_map(|(la, _)| shown(la)).sum();
            assert!(
                (total - others - true_value).abs() > 0.5,
                "{year}: {la}'s hidden {true_value} is {region}'s {total} minus the others'"
            );
        }
    }
    assert!(sums > 50, "the regions' figures are published ({sums})");

    // Where the count is hidden, so is the rate made of it.
    let rates = crate::support::text(&out, "data/agency_rate_headcount.csv");
    let mut rates_shown = 0;
    for line in rates.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        if cells[cells.len() - 2].is_empty() {
            continue;
        }
        rates_shown += 1;
        let key = (cells[1].to_string(), cells[0].to_string());
        assert!(
            !matches!(published.get(&key), Some(None)),
            "{key:?}: the agency rate is shown beside the hidden count"
        );
    }
    assert!(
        rates_shown > 1000,
        "the rates are shown elsewhere ({rates_shown})"
    );

    // Where the count is hidden as `<5`, so is the FTE of those workers.
    let counts = crate::support::text(&out, "data/agency_headcount.csv");
    let small: std::collections::HashSet<(String, String)> = counts
        .lines()
        .filter(|l| l.ends_with(",<5"))
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            (cells[1].to_string(), cells[0].to_string())
        })
        .collect();
    assert!(
        small.len() > 20,
        "small counts are hidden ({})",
        small.len()
    );
    for line in crate::support::text(&out, "data/agency_fte.csv")
        .lines()
        .skip(1)
    {
        let cells: Vec<&str> = line.split(',').collect();
        let key = (cells[1].to_string(), cells[0].to_string());
        assert!(
            cells[cells.len() - 2].is_empty() || !small.contains(&key),
            "{key:?}: the agency FTE is shown beside `<5` agency workers"
        );
    }
}
