//! Downloads that open where people use them: the Excel-ready CSV beside
//! every tidy one (read back with Swedish Excel's rules and compared value
//! for value), the slide and square PNGs on every chart page, the phone
//! tables' scroll regions, and the accessibility statement's settings.

use std::path::Path;

use crate::support::*;

fn build_quick(root: &Path) -> std::path::PathBuf {
    let out = root.join("public");
    let options = insyn::BuildOptions {
        mode: insyn::BuildMode::Preview,
        ..Default::default()
    };
    insyn::build(root, &out, &options).unwrap_or_else(|e| panic!("{e:?}"));
    out
}

fn set_language(root: &Path, lang: &str) {
    let path = root.join("site.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("language = \"{lang}\"\n{text}")).unwrap();
}

/// One CSV file as rows of fields, read with `delimiter`.
fn rows(text: &str, delimiter: u8) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(delimiter)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// Reads an Excel-ready file as Excel set to `lang` would: the BOM says
/// UTF-8, rows end in CRLF, then `;` and decimal comma (Swedish) or `,` and
/// decimal point (English). Checks the spelling on the way.
fn read_excel(bytes: &[u8], lang: &str, what: &str) -> Vec<Vec<String>> {
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "{what}: no BOM");
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    assert!(
        text.split_inclusive('\n').all(|l| l.ends_with("\r\n")),
        "{what}: every row ends in CRLF"
    );
    let delimiter = if lang == "sv" { b';' } else { b',' };
    rows(text, delimiter)
}

/// A value cell of the Excel-ready file as a number, by the locale's rules.
fn excel_number(cell: &str, lang: &str) -> Option<f64> {
    if cell.is_empty() {
        return None;
    }
    if lang == "sv" {
        assert!(!cell.contains('.'), "a decimal point in Swedish: {cell}");
        Some(cell.replace(',', ".").parse().unwrap())
    } else {
        assert!(!cell.contains(','), "a decimal comma in English: {cell}");
        Some(cell.parse().unwrap())
    }
}

/// Compares an Excel-ready file with its tidy sibling row by row and value
/// for value; returns the note column of each data row.
fn round_trip(tidy: &[u8], excel: &[u8], lang: &str, what: &str) -> Vec<String> {
    assert!(
        !tidy.starts_with(b"\xEF\xBB\xBF"),
        "{what}: the tidy file has no BOM"
    );
    let tidy = rows(std::str::from_utf8(tidy).unwrap(), b',');
    let excel = read_excel(excel, lang, what);
    assert_eq!(tidy.len(), excel.len(), "{what}: row count");
    assert!(tidy.len() > 1, "{what}: no data");
    let value_col = tidy[0].iter().position(|h| h == "value").unwrap();
    // The same columns, then the note.
    assert_eq!(excel[0].len(), tidy[0].len() + 1, "{what}: {:?}", excel[0]);
    let mut notes = Vec::new();
    for (i, (t, e)) in tidy.iter().zip(&excel).enumerate().skip(1) {
        assert_eq!(e.len(), t.len() + 1, "{what} row {i}");
        for (c, (tv, ev)) in t.iter().zip(e).enumerate() {
            if c == value_col {
                let tv: Option<f64> = (!tv.is_empty()).then(|| tv.parse().unwrap());
                assert_eq!(tv, excel_number(ev, lang), "{what} row {i}");
            } else {
                assert_eq!(tv, ev, "{what} row {i} column {c}");
            }
        }
        notes.push(e[t.len()].clone());
    }
    notes
}

#[test]
fn excel_csv_round_trips_to_the_tidy_csv_in_swedish_and_english() {
    for lang in ["sv", "en"] {
        let site = copy_site(&fixture("minimal"));
        if lang == "en" {
            set_language(site.path(), "en");
        }
        let out = build_quick(site.path());
        let files = read_tree(&out);
        let mut compared = 0;
        for (path, tidy) in &files {
            let excel_path = if let Some(name) = path.strip_prefix("data/") {
                if name.contains('/') || !name.ends_with(".csv") {
                    continue;
                }
                format!("data/excel/{name}")
            } else if let Some(dir) = path.strip_suffix("/data.csv") {
                format!("{dir}/data-excel.csv")
            } else {
                continue;
            };
            let excel = files
                .get(&excel_path)
                .unwrap_or_else(|| panic!("{path} has no Excel-ready sibling {excel_path}"));
            let notes = round_trip(tidy, excel, lang, path);
            compared += 1;
            // The series break of open cases (2024Q1) is noted in its own
            // column, in the site's language, on that period's rows only.
            if path == "data/open_cases.csv" {
                let tidy = rows(std::str::from_utf8(tidy).unwrap(), b',');
                for (row, note) in tidy.iter().skip(1).zip(&notes) {
                    let at_break = row[0] == "2024Q1";
                    assert_eq!(!note.is_empty(), at_break, "{row:?}: `{note}`");
                    if at_break {
                        let expected = if lang == "sv" {
                            "Serieavbrott: Ny definition av aktuellt ärende"
                        } else {
                            "Series break: New definition of an open case"
                        };
                        assert_eq!(note, expected);
                    }
                }
            }
        }
        assert!(compared > 10, "{lang}: only {compared} files compared");
        // A decimal value, spelled in each locale.
        let staff = String::from_utf8_lossy(&files["data/excel/staff_fte.csv"]).into_owned();
        if lang == "sv" {
            assert!(
                staff.starts_with(
                    "\u{feff}period;enhet;enhetens namn;mått;grupp;värde;status;anmärkning\r\n"
                ),
                "{staff}"
            );
            assert!(staff.contains(";alfa;Alfa;staff_fte;;10;"), "{staff}");
        } else {
            assert!(
                staff.starts_with(
                    "\u{feff}period,unit,unit name,measure,group,value,status,note\r\n"
                ),
                "{staff}"
            );
        }
    }
}

#[test]
fn the_chart_page_and_the_data_page_link_every_format() {
    let site = copy_site(&fixture("minimal"));
    let out = site.path().join("public");
    let o = build(site.path(), &out);
    assert!(o.status.success(), "{}", stderr(&o));
    let charts: Vec<_> = std::fs::read_dir(out.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("index.html").is_file())
        .collect();
    assert!(!charts.is_empty());
    for dir in &charts {
        let page = std::fs::read_to_string(dir.join("index.html")).unwrap();
        for (file, size) in [
            ("chart-16x9.png", Some((1920, 1080))),
            ("chart-square.png", Some((1080, 1080))),
            ("data-excel.csv", None),
        ] {
            assert!(
                page.contains(&format!("<a href=\"{file}\" download>")),
                "{}: no link to {file}",
                dir.display()
            );
            let bytes = std::fs::read(dir.join(file)).unwrap();
            if let Some(size) = size {
                let be = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
                assert_eq!((be(16), be(20)), size, "{}/{file}", dir.display());
            }
        }
        // The bundle carries the Excel-ready CSV too.
        let slug = dir.file_name().unwrap().to_string_lossy().into_owned();
        let zip = std::fs::File::open(dir.join(format!("{slug}.zip"))).unwrap();
        let mut zip = zip::ZipArchive::new(zip).unwrap();
        assert!(zip.by_name("data-excel.csv").is_ok());
    }
    let data = text(&out, "data/index.html");
    for file in ["insyn-data.csv", "open_cases.csv", "staff_fte.csv"] {
        assert!(
            data.contains(&format!("href=\"../data/excel/{file}\"")),
            "{file}: {data}"
        );
        assert!(out.join("data/excel").join(file).is_file());
    }
    // A second build from the cache gives the same slide images.
    let first = read_tree(&out);
    let o = build(site.path(), &out);
    assert!(o.status.success(), "{}", stderr(&o));
    let second = read_tree(&out);
    for (path, bytes) in &first {
        if path.ends_with(".png") {
            assert_eq!(Some(bytes), second.get(path), "{path}");
        }
    }
}

#[test]
fn every_table_scrolls_in_a_labelled_focusable_region() {
    let site = copy_site(&fixture("minimal"));
    let out = site.path().join("public");
    let options = insyn::BuildOptions {
        mode: insyn::BuildMode::Preview,
        ..Default::default()
    };
    insyn::publish(site.path(), &out, &options).unwrap();
    // A changed past value puts a table on the revisions page.
    let cases = std::fs::read_to_string(site.path().join("data/cases.csv")).unwrap();
    std::fs::write(
        site.path().join("data/cases.csv"),
        cases.replace("2023Q2,alfa,open_cases,108,", "2023Q2,alfa,open_cases,110,"),
    )
    .unwrap();
    insyn::build(site.path(), &out, &options).unwrap();
    let mut tables = 0;
    for (path, bytes) in read_tree(&out) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        let mut rest = html.as_str();
        while let Some(at) = rest.find("<table") {
            let before = &rest[..at];
            let opening = before.rfind("<div").map(|i| &before[i..]).unwrap_or("");
            assert!(
                opening.starts_with("<div class=\"table-scroll\" role=\"region\" aria-label=\"")
                    && opening.contains("tabindex=\"0\">"),
                "{path}: a table outside a labelled, focusable scroll region: {opening}"
            );
            tables += 1;
            rest = &rest[at + 6..];
        }
    }
    assert!(tables > 10, "{tables}");
    let revisions = text(&out, "revisions/index.html");
    assert!(
        revisions.contains("<td>108</td><td>110</td>"),
        "{revisions}"
    );
    // The scroll cue is CSS, no script: shadows that show where more
    // columns are, and row headers that wrap.
    let css = text(&out, "static/style.css");
    let rule = &css[css.find(".table-scroll {").unwrap()..];
    let rule = &rule[..rule.find('}').unwrap()];
    assert!(
        rule.contains("no-repeat local") && rule.contains("no-repeat scroll"),
        "{rule}"
    );
    assert!(css.contains("tbody th { white-space: normal; }"));
}

#[test]
fn the_accessibility_statement_says_only_what_site_toml_says() {
    // No [accessibility]: no claim, and check says what is missing.
    let site = copy_site(&fixture("minimal"));
    let o = insyn()
        .args(["check", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    let err = stderr(&o);
    assert!(
        err.contains("site.toml: the accessibility statement names no assessment of the site"),
        "{err}"
    );
    let out = build_quick(site.path());
    let page = text(&out, "accessibility/index.html");
    assert!(
        page.contains("delvis förenlig med lagen (2018:1937)"),
        "{page}"
    );
    assert!(page.contains("har ännu inte granskat webbplatsens tillgänglighet"));
    assert!(page.contains("<a href=\"https://www.digg.se/tdosanmalan\">"));
    assert!(page.contains("mailto:test@example.org"));
    assert!(
        !page.contains("axe-core"),
        "no claim about tests the publisher did not run"
    );
    assert!(!page.contains("vid varje bygge"));

    // With an assessment more than a year older than the data date.
    let toml = std::fs::read_to_string(site.path().join("site.toml")).unwrap();
    std::fs::write(
        site.path().join("site.toml"),
        format!(
            "{toml}\n[accessibility]\nstatus = \"partial\"\nassessed = 2023-06-01\nupdated = 2023-06-02\nmethod = \"Vi granskade själva med tangentbord och skärmläsare.\"\ncontact = \"webb@example.org\"\nproblems = [\"Diagrammens PNG-filer saknar textbeskrivning.\"]\n"
        ),
    )
    .unwrap();
    let o = insyn()
        .args(["check", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    let err = stderr(&o);
    assert!(
        err.contains("the accessibility assessment of 2023-06-01 is more than a year older than the data (2024-10-05)"),
        "{err}"
    );
    let out = build_quick(site.path());
    let page = text(&out, "accessibility/index.html");
    assert!(page.contains("<li>Diagrammens PNG-filer saknar textbeskrivning.</li>"));
    assert!(page.contains("Vi granskade själva med tangentbord och skärmläsare. Den senaste bedömningen gjordes den 1 juni 2023."));
    assert!(page.contains("Redogörelsen uppdaterades senast den 2 juni 2023."));
    assert!(page.contains("mailto:webb@example.org"));

    // A claim of full compliance needs its assessment.
    std::fs::write(
        site.path().join("site.toml"),
        format!("{toml}\n[accessibility]\nstatus = \"full\"\n"),
    )
    .unwrap();
    let o = insyn()
        .args(["check", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("`accessibility.status = \"full\"` without an assessment"));

    // English.
    std::fs::write(
        site.path().join("site.toml"),
        format!(
            "language = \"en\"\n{toml}\n[accessibility]\nstatus = \"full\"\nassessed = 2024-09-01\n"
        ),
    )
    .unwrap();
    let out = build_quick(site.path());
    let page = text(&out, "accessibility/index.html");
    assert!(
        page.contains("This website is fully compliant with the Swedish Act (2018:1937)"),
        "{page}"
    );
    assert!(page.contains("The latest assessment found no content that is not accessible."));
    assert!(page.contains("This statement was last updated on 1 September 2024."));
}
