//! `insyn import`: fixture documents in the shapes Kolada and PxWeb
//! publish (`tests/fixtures/import/`), turned into a site with no hand
//! edits and built; the figure on the page must be the value in the JSON.

use std::path::{Path, PathBuf};

use crate::support::{build, insyn, stderr, text};

fn fixture(name: &str) -> PathBuf {
    crate::support::repo_root()
        .join("tests/fixtures/import")
        .join(name)
}

const SITE_TOML: &str = r#"title = "Jämförelser"
organisation = "Testkommunen"
base_url = "https://test.example.org/"

[source]
name = "Kolada"
contact = "test@example.org"
extracted = 2025-01-10
"#;

/// A site folder with only site.toml and the given home page.
fn site(home: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("site.toml"), SITE_TOML).unwrap();
    std::fs::create_dir(dir.path().join("content")).unwrap();
    std::fs::write(dir.path().join("content/_index.md"), home).unwrap();
    dir
}

/// The inline figure that follows `label` on a page.
fn figure_after<'a>(html: &'a str, label: &str) -> &'a str {
    let start = html
        .find(label)
        .unwrap_or_else(|| panic!("{label} not on the page"))
        + label.len();
    let rest = html[start..].trim_start_matches(" <span class=\"figure\">");
    &rest[..rest.find('<').unwrap()]
}

fn import(args: &[&str], root: &Path) -> std::process::Output {
    insyn()
        .arg("import")
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .unwrap()
}

/// The value of `kpi` for `municipality`, `period` and gender T, read from
/// the JSON as the test's own oracle.
fn kolada_value(file: &Path, municipality: &str, period: i64) -> f64 {
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    doc["values"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["municipality"] == municipality && r["period"] == period)
        .and_then(|r| {
            r["values"]
                .as_array()
                .unwrap()
                .iter()
                .find(|v| v["gender"] == "T")
        })
        .and_then(|v| v["value"].as_f64())
        .unwrap()
}

const KOLADA_HOME: &str = r#"+++
title = "Jämförelser"
+++

Stockholm: {{ value(measure="n00945", unit="0180", period="2020") }}.

```chart
type = "compare"
measure = "n00945"
unit = "0180"
reference = ["0000", "g124026"]
```

```chart
type = "series"
measures = ["n00945"]
unit = "0180"
reference = "0000"
```
"#;

#[test]
fn kolada_round_trip_json_to_csv_to_site_to_the_figure_on_the_page() {
    let dir = site(KOLADA_HOME);
    let root = dir.path();
    let data = fixture("kolada_v3.json");
    let o = import(
        &[
            "kolada",
            data.to_str().unwrap(),
            "--kpis",
            fixture("kolada_kpis.json").to_str().unwrap(),
            "--municipalities",
            fixture("kolada_municipalities.json").to_str().unwrap(),
        ],
        root,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("wrote 11 observations"),
        "{}",
        stderr(&o)
    );

    let csv = std::fs::read_to_string(root.join("data/kolada_v3.csv")).unwrap();
    assert!(csv.starts_with("period,unit,measure,group,value,status\n"));
    assert!(csv.contains("2020,0180,n00945,,31.3,\n"), "{csv}");
    assert!(csv.contains("2020,0180,n00945,K,30.1,\n"), "{csv}");
    // Kolada's `..` is confidential: suppressed at the source.
    assert!(csv.contains("2020,0180,n00945,M,,x\n"), "{csv}");
    let units = std::fs::read_to_string(root.join("data/units.toml")).unwrap();
    assert!(
        units.contains("[units.1480]\nname = \"Göteborg\""),
        "{units}"
    );
    assert!(
        units.contains("reference = \"ovägt medelvärde av 12 kommuner (Kolada)\""),
        "{units}"
    );
    let measures = std::fs::read_to_string(root.join("data/measures.toml")).unwrap();
    assert!(measures.contains("unit = \"percent\""), "{measures}");
    assert!(
        measures.contains(
            "source = { sv = \"Kolada (RKA), publicerad 2024-04-23\", en = \"Kolada (RKA), published 2024-04-23\" }"
        ),
        "{measures}"
    );

    let out = root.join("public");
    let o = build(root, &out);
    assert!(o.status.success(), "{}", stderr(&o));
    let home = text(&out, "index.html");
    let expected = kolada_value(&data, "0180", 2020);
    let shown = format!("{expected:.1}").replace('.', ",");
    assert_eq!(figure_after(&home, "Stockholm:"), format!("{shown}\u{a0}%"));

    // The compare chart: the peers as labelled lines, the caveat of a
    // group mean inside the image, and the reference figures not ranked
    // among the municipalities.
    // A compare chart without `period` follows the latest data: its address
    // names no period.
    let slug = "compare-n00945-0180-ref-0000-g124026";
    let svg = text(&out, &format!("charts/{slug}/chart.svg"));
    assert!(svg.contains("Riket: 25,2"), "{svg}");
    assert!(
        svg.contains("Storstäder och storstadsnära kommuner: 27,5"),
        "{svg}"
    );
    assert!(svg.contains("ovägt medelvärde av 12 kommuner"));
    assert_eq!(svg.matches("class=\"peer\"").count(), 2);
    assert!(!svg.contains("class=\"unit\">Riket<"));
    let chart_csv = text(&out, &format!("charts/{slug}/data.csv"));
    assert!(chart_csv.contains("2020,0000,n00945,25.2,"), "{chart_csv}");

    // The series chart draws the national line beside the unit's, labelled.
    let series = std::fs::read_dir(out.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with("series-n00945-0180"))
        .unwrap();
    let svg = text(&out, &format!("charts/{series}/chart.svg"));
    assert!(svg.contains("Riket"), "{svg}");
    let chart_csv = text(&out, &format!("charts/{series}/data.csv"));
    assert!(chart_csv.contains("2019,0000,n00945,24.1,"), "{chart_csv}");
}

#[test]
fn kolada_v2_shape_reads_the_same_rows() {
    let dir = site("+++\ntitle = \"x\"\n+++\n");
    let o = import(
        &["kolada", fixture("kolada_v2.json").to_str().unwrap()],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let csv = std::fs::read_to_string(dir.path().join("data/kolada_v2.csv")).unwrap();
    assert_eq!(
        csv,
        "period,unit,measure,value,status\n2017,0180,n00945,,..\n2018,0180,n00945,28.7,\n"
    );
}

#[test]
fn pxweb_round_trip_json_stat_to_site_to_the_figure_on_the_page() {
    let dir = site(
        "+++\ntitle = \"SCB\"\n+++\n\nGöteborg: {{ value(measure=\"so0203a1\", unit=\"1480\", period=\"2024\") }}.\n\nStockholm: {{ value(measure=\"so0203a1\", unit=\"0180\", period=\"2024\") }}.\n",
    );
    let root = dir.path();
    let o = import(
        &[
            "pxweb",
            fixture("scb_jsonstat.json").to_str().unwrap(),
            "--name",
            "scb",
        ],
        root,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let csv = std::fs::read_to_string(root.join("data/scb.csv")).unwrap();
    // `–` is a true zero in official statistics, `..` not available.
    assert!(csv.contains("2024,0180,so0203a1,K,0,\n"), "{csv}");
    assert!(csv.contains("2024,0180,so0203a1,M,,..\n"), "{csv}");
    let measures = std::fs::read_to_string(root.join("data/measures.toml")).unwrap();
    assert!(measures.contains("label = \"Barn med heldygnsinsats\""));
    assert!(
        measures.contains("unit = \"count\"\nkind = \"stock\""),
        "{measures}"
    );
    assert!(measures.contains("published 2025-05-06"), "{measures}");
    let units = std::fs::read_to_string(root.join("data/units.toml")).unwrap();
    assert!(
        units.contains("[units.00]\nname = \"Riket\"\nreference = true"),
        "{units}"
    );

    let out = root.join("public");
    let o = build(root, &out);
    assert!(o.status.success(), "{}", stderr(&o));
    let home = text(&out, "index.html");
    // The JSON's value for Göteborg, both sexes, 2024 is the last of the array.
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("scb_jsonstat.json")).unwrap())
            .unwrap();
    let expected = doc["value"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .as_f64()
        .unwrap();
    assert_eq!(figure_after(&home, "Göteborg:"), expected.to_string());
    assert_eq!(figure_after(&home, "Stockholm:"), "1\u{a0}184");
}

#[test]
fn import_never_overwrites_and_proposes_beside_existing_files() {
    let dir = site("+++\ntitle = \"x\"\n+++\n");
    let root = dir.path();
    std::fs::create_dir(root.join("data")).unwrap();
    let own_units = "[units.0180]\nname = \"Stockholms stad\"\n";
    std::fs::write(root.join("data/units.toml"), own_units).unwrap();
    let data = fixture("kolada_v3.json");
    let o = import(&["kolada", data.to_str().unwrap()], root);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(root.join("data/units.toml")).unwrap(),
        own_units
    );
    let proposed = std::fs::read_to_string(root.join("data/units.proposed.toml")).unwrap();
    assert!(proposed.contains("[units.1480]"));
    assert!(!proposed.contains("[units.0180]"));
    assert!(stderr(&o).contains("units.proposed.toml"));
    // Again under the same name: refused, exit status 2, the CSV unchanged.
    let before = std::fs::read(root.join("data/kolada_v3.csv")).unwrap();
    let o = import(&["kolada", data.to_str().unwrap()], root);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("never overwrites"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(root.join("data/kolada_v3.csv")).unwrap(),
        before
    );
}

#[test]
fn a_document_of_the_wrong_shape_is_located_and_nothing_is_written() {
    let dir = site("+++\ntitle = \"x\"\n+++\n");
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        "{\"values\": [\n  {\"kpi\": \"N1\", \"period\": 2020}\n]}",
    )
    .unwrap();
    let o = import(&["kolada", bad.to_str().unwrap()], dir.path());
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains(":2:"), "{err}");
    assert!(err.contains("missing field `values`"), "{err}");
    assert!(!dir.path().join("data").exists());
}
