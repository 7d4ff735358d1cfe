//! Hostile input (issue "safe against hostile input"): a valid site whose
//! every text carries markup, script, event handlers, `javascript:` addresses
//! and `../` builds into output with none of them live; broken input fails
//! cleanly (exit 1, a clear message, nothing written, no panic); a
//! million-row CSV builds.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::support::*;

/// Builds `site` into `<fresh temp dir>/public` and returns the temp dir,
/// the output folder and the process output.
fn build_fresh(site: &Path) -> (tempfile::TempDir, PathBuf, Output) {
    let parent = tempfile::tempdir().unwrap();
    let public = parent.path().join("public");
    let o = build(site, &public);
    (parent, public, o)
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// What a site folder holds before a build, so a test can see what the build
/// added to it.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    read_tree(dir)
}

/// The only thing a build may add to the site folder is its cache.
fn assert_site_untouched_but_cache(before: &BTreeMap<String, Vec<u8>>, site: &Path) {
    let after = snapshot(site);
    for (path, bytes) in &after {
        if path.starts_with(".insyn-cache/") {
            continue;
        }
        assert_eq!(before.get(path), Some(bytes), "the build wrote {path}");
    }
    assert_eq!(
        before.keys().filter(|k| !after.contains_key(*k)).count(),
        0,
        "the build removed a site file"
    );
}

/// Undoes HTML character references in an attribute value (the ones a
/// browser would decode before looking at the address).
fn decode_entities(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let end = after.find(';').filter(|e| *e <= 10);
        let decoded = end.and_then(|e| {
            let name = &after[..e];
            let c = if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
            } else if let Some(dec) = name.strip_prefix('#') {
                dec.parse().ok().and_then(char::from_u32)
            } else {
                match name {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    "Tab" => Some('\t'),
                    "NewLine" => Some('\n'),
                    "colon" => Some(':'),
                    _ => None,
                }
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &after[e + 1..];
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

/// Whether an address would run script: `javascript:` (and `vbscript:`,
/// `data:text/html`), however spelt.
fn runs_script(value: &str) -> bool {
    let v: String = decode_entities(value)
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    v.starts_with("javascript:") || v.starts_with("vbscript:") || v.starts_with("data:text/html")
}

const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "xlink:href",
    "action",
    "formaction",
    "poster",
    "srcset",
    "data",
];

/// Every problem of one HTML document: script elements, event-handler
/// attributes, script addresses, inline styles.
fn html_problems(path: &str, html: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let lower = html.to_ascii_lowercase();
    for bad in [
        "<script",
        "<iframe",
        "<object",
        "<embed",
        "<img src=x",
        "<svg",
    ] {
        if lower.contains(bad) {
            problems.push(format!("{path}: contains `{bad}`"));
        }
    }
    let dom = match tl::parse(html, tl::ParserOptions::default()) {
        Ok(d) => d,
        Err(e) => return vec![format!("{path}: cannot parse: {e}")],
    };
    for node in dom.nodes() {
        let Some(tag) = node.as_tag() else { continue };
        let name = tag.name().as_utf8_str().to_ascii_lowercase();
        if matches!(
            name.as_str(),
            "script" | "iframe" | "object" | "embed" | "base"
        ) {
            problems.push(format!("{path}: a <{name}> element"));
        }
        for (key, value) in tag.attributes().iter() {
            let key = key.to_ascii_lowercase();
            let value = value.unwrap_or_default();
            if key.starts_with("on") {
                problems.push(format!("{path}: <{name} {key}=\"{value}\">"));
            }
            if key == "style" {
                problems.push(format!("{path}: <{name} style=\"{value}\">"));
            }
            if URL_ATTRIBUTES.contains(&key.as_str()) && runs_script(&value) {
                problems.push(format!("{path}: <{name} {key}=\"{value}\">"));
            }
            if name == "meta" && key == "content" && lower_has_refresh(tag) && runs_script(&value) {
                problems.push(format!("{path}: a meta refresh to script"));
            }
        }
    }
    problems
}

fn lower_has_refresh(tag: &tl::HTMLTag) -> bool {
    tag.attributes()
        .get("http-equiv")
        .flatten()
        .is_some_and(|v| v.as_utf8_str().eq_ignore_ascii_case("refresh"))
}

/// Every problem of one SVG document: not well-formed XML, script elements,
/// event handlers, script addresses, foreign objects.
fn svg_problems(path: &str, bytes: &[u8]) -> Vec<String> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return vec![format!("{path}: not UTF-8")];
    };
    let doc = match roxmltree::Document::parse(text) {
        Ok(d) => d,
        Err(e) => return vec![format!("{path}: not well-formed XML: {e}")],
    };
    let mut problems = Vec::new();
    for node in doc.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name().to_ascii_lowercase();
        if matches!(name.as_str(), "script" | "foreignobject" | "iframe") {
            problems.push(format!("{path}: a <{name}> element"));
        }
        for a in node.attributes() {
            let key = a.name().to_ascii_lowercase();
            if key.starts_with("on") {
                problems.push(format!("{path}: <{name} {key}>"));
            }
            if (key == "href" || key == "src") && runs_script(a.value()) {
                problems.push(format!("{path}: <{name} {key}=\"{}\">", a.value()));
            }
        }
    }
    problems
}

fn xml_problems(path: &str, bytes: &[u8]) -> Vec<String> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return vec![format!("{path}: not UTF-8")];
    };
    match roxmltree::Document::parse(text) {
        Ok(doc) => doc
            .descendants()
            .filter(|n| n.is_element())
            .filter(|n| n.tag_name().name().eq_ignore_ascii_case("script"))
            .map(|_| format!("{path}: a <script> element"))
            .collect(),
        Err(e) => vec![format!("{path}: not well-formed XML: {e}")],
    }
}

/// A CSV download: UTF-8, parses with the same number of fields on every
/// row, and no text cell starts like a spreadsheet formula.
fn csv_problems(path: &str, bytes: &[u8]) -> Vec<String> {
    let mut problems = Vec::new();
    if std::str::from_utf8(bytes).is_err() {
        problems.push(format!("{path}: not UTF-8"));
    }
    // The Excel-ready files of a Swedish site are separated by `;`, as
    // their header line shows.
    let header = bytes.split(|b| *b == b'\n').next().unwrap_or(b"");
    let delimiter = if header.contains(&b';') && !header.contains(&b',') {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(delimiter)
        .from_reader(bytes);
    for record in reader.records() {
        match record {
            Ok(r) => {
                for cell in r.iter() {
                    if cell.starts_with(['=', '+', '@']) {
                        problems.push(format!("{path}: a formula cell `{cell}`"));
                    }
                }
            }
            Err(e) => problems.push(format!("{path}: {e}")),
        }
    }
    problems
}

fn file_problems(path: &str, bytes: &[u8]) -> Vec<String> {
    let ext = path.rsplit('.').next().unwrap_or("");
    match ext {
        "html" => html_problems(path, &String::from_utf8_lossy(bytes)),
        "svg" => svg_problems(path, bytes),
        "xml" => xml_problems(path, bytes),
        "csv" => csv_problems(path, bytes),
        "txt" | "md" => match std::str::from_utf8(bytes) {
            Ok(_) => Vec::new(),
            Err(_) => vec![format!("{path}: not UTF-8")],
        },
        "zip" => {
            let mut problems = Vec::new();
            let mut archive = match zip::ZipArchive::new(std::io::Cursor::new(bytes)) {
                Ok(a) => a,
                Err(e) => return vec![format!("{path}: cannot open: {e}")],
            };
            for i in 0..archive.len() {
                let mut entry = archive.by_index(i).unwrap();
                let name = entry.name().unwrap().to_string();
                if name.starts_with('/') || name.split('/').any(|p| p == "..") {
                    problems.push(format!("{path}: entry `{name}` leaves its folder"));
                }
                let mut inner = Vec::new();
                entry.read_to_end(&mut inner).unwrap();
                problems.extend(file_problems(&format!("{path}!{name}"), &inner));
            }
            problems
        }
        _ => Vec::new(),
    }
}

/// Builds `site` into a fresh folder and walks every file it wrote.
/// Returns the output tree.
fn build_and_walk(site: &Path) -> BTreeMap<String, Vec<u8>> {
    let before = snapshot(site);
    let (parent, public, o) = build_fresh(site);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"));
    // Nothing beside the output folder, nothing added to the site but its cache.
    assert_eq!(names_in(parent.path()), vec!["public".to_string()]);
    assert_site_untouched_but_cache(&before, site);
    let files = read_tree(&public);
    let mut problems = Vec::new();
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for (path, bytes) in &files {
        *kinds
            .entry(path.rsplit('.').next().unwrap_or(""))
            .or_default() += 1;
        problems.extend(file_problems(path, bytes));
    }
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
    for kind in ["html", "svg", "xml", "csv", "zip", "png"] {
        assert!(
            kinds.get(kind).copied().unwrap_or(0) > 0,
            "no {kind} file: {kinds:?}"
        );
    }
    files
}

fn page(files: &BTreeMap<String, Vec<u8>>, path: &str) -> String {
    String::from_utf8(
        files
            .get(path)
            .unwrap_or_else(|| panic!("no {path}"))
            .clone(),
    )
    .unwrap()
}

#[test]
fn hostile_text_never_becomes_markup() {
    let site = copy_site(&fixture("hostile"));
    let files = build_and_walk(site.path());
    let report = page(&files, "rapporter/2024-q3/index.html");
    // The hostile texts are there, as text.
    assert!(report.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(report.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    // Dropped links keep their text; safe links stay.
    assert!(
        report.contains("<a href=\"https://example.org/ok\">ok</a>"),
        "{report}"
    );
    assert!(report.contains("<a href=\"mailto:x@example.org\">mail</a>"));
    assert!(report.contains("<li>link</li>"), "{report}");
    // A figure inside a link title is text only.
    assert!(!report.contains("title=\"<span"), "{report}");
    // Table alignment comes from classes, not inline style.
    assert!(report.contains("class=\"align-left\""));
    // The unit pages are where their (safe) ids put them.
    for unit in ["alfa", "beta", "gamma"] {
        assert!(
            files.contains_key(&format!("units/{unit}/index.html")),
            "{unit}"
        );
    }
    // The hostile group and unit names are in the data download, neutralised
    // as formulas but otherwise intact.
    let all: String = files
        .iter()
        .filter(|(k, _)| k.starts_with("data/") && k.ends_with(".csv"))
        .map(|(_, v)| String::from_utf8_lossy(v).into_owned())
        .collect();
    assert!(all.contains("<script>alert(1)</script>"), "{all}");
    assert!(all.contains("'=HYPERLINK("), "{all}");
}

#[test]
fn allowed_html_keeps_safe_markup_and_loses_script() {
    let site = copy_site(&fixture("hostile"));
    let config = site.path().join("site.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        text.replace("allow_html = false", "allow_html = true"),
    )
    .unwrap();
    // The hostile images point at a file the site has: the sanitiser is
    // under test here, not the link check, which refuses an image that
    // is not there (tests/check.rs).
    let source = site.path().join("content/rapporter/2024-q3.md");
    let text = std::fs::read_to_string(&source).unwrap();
    std::fs::write(&source, text.replace("src=x ", "src=/static/x.png ")).unwrap();
    std::fs::create_dir_all(site.path().join("static")).unwrap();
    std::fs::write(site.path().join("static/x.png"), b"not really a PNG").unwrap();
    let files = build_and_walk(site.path());
    let report = page(&files, "rapporter/2024-q3/index.html");
    assert!(report.contains("src=\"/static/x.png\""), "{report}");
    // Safe markup written by the author is kept...
    assert!(report.contains("<b>bold</b>"), "{report}");
    assert!(report.contains("<div>div</div>"), "{report}");
    assert!(report.contains(">raw</a>"), "{report}");
    // ...without its handlers, styles and script addresses (checked for
    // every file by build_and_walk); the hostile front matter stays text.
    assert!(!report.contains("<div onmouseover"));
    assert!(report.contains("&lt;b onmouseover=alert(1)&gt;Författare"));
}

// --- Broken input: exit 1, a clear message, nothing written, no panic. ---

fn assert_refused(site: &Path, message: &str) {
    let before = snapshot(site);
    let (parent, public, o) = build_fresh(site);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains(message), "expected `{message}` in:\n{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        err.len() < 20_000,
        "the message echoes the input: {} bytes",
        err.len()
    );
    assert!(!public.exists());
    assert!(names_in(parent.path()).is_empty());
    assert_site_untouched_but_cache(&before, site);
}

#[test]
fn csv_with_nul_bytes_is_refused() {
    let site = copy_site(&fixture("minimal"));
    std::fs::write(
        site.path().join("data/nul.csv"),
        b"period,unit,measure,value,status,group\n2023Q1,alfa,open_cases,5,,a\0b\n",
    )
    .unwrap();
    assert_refused(site.path(), "data/nul.csv:2:");
    assert_refused(site.path(), "NUL character");
    // UTF-16 (what some spreadsheets export) is full of NULs.
    let site = copy_site(&fixture("minimal"));
    let utf16: Vec<u8> = "period,unit,measure,value\n2023Q1,alfa,open_cases,5\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    std::fs::write(site.path().join("data/utf16.csv"), utf16).unwrap();
    assert_refused(site.path(), "NUL character");
}

#[test]
fn a_ten_megabyte_field_is_refused_without_echoing_it() {
    for (name, body, message) in [
        ("plain.csv", "x".repeat(10 << 20), "bytes long"),
        // An unclosed quote makes the rest of the file one field: named
        // where it opens, with the field's first line only.
        (
            "quote.csv",
            format!("\"{}", "2023Q2,alfa,open_cases,5\n".repeat(420_000)),
            "data/quote.csv:2:27: a quote (`\"`) opened here is never closed",
        ),
    ] {
        let site = copy_site(&fixture("minimal"));
        let text =
            format!("period,unit,measure,value,status,group\n2023Q1,alfa,open_cases,5,,{body}\n");
        assert!(text.len() > 10 << 20);
        std::fs::write(site.path().join("data").join(name), text).unwrap();
        assert_refused(site.path(), message);
    }
}

#[test]
fn content_with_nul_or_invalid_utf8_is_refused() {
    let site = copy_site(&fixture("minimal"));
    std::fs::write(
        site.path().join("content/nul.md"),
        b"+++\ntitle = \"x\"\n+++\nHej\0da\n",
    )
    .unwrap();
    assert_refused(site.path(), "content/nul.md:4:4");
    assert_refused(site.path(), "NUL character");

    let site = copy_site(&fixture("minimal"));
    std::fs::write(
        site.path().join("content/latin1.md"),
        b"+++\ntitle = \"R\xe4tt\"\n+++\nH\xe4r\n",
    )
    .unwrap();
    assert_refused(site.path(), "content/latin1.md:2");
    assert_refused(site.path(), "not UTF-8");
}

#[test]
fn unit_and_measure_ids_that_would_become_unsafe_paths_are_refused() {
    for (file, from, to) in [
        ("units.toml", "[units.alfa]", "[units.\"../alfa\"]"),
        ("units.toml", "[units.alfa]", "[units.\"a/b\"]"),
        ("units.toml", "[units.alfa]", "[units.\"..\"]"),
        ("units.toml", "[units.alfa]", "[units.Alfa]"),
        (
            "measures.toml",
            "[measures.new_cases]",
            "[measures.\"../../x\"]",
        ),
        (
            "measures.toml",
            "[measures.new_cases]",
            "[measures.\"x/y\"]",
        ),
    ] {
        let site = copy_site(&fixture("minimal"));
        let path = site.path().join("data").join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from));
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        assert_refused(site.path(), "cannot be used in a web address");
        assert_refused(site.path(), &format!("data/{file}:"));
    }
}

// --- Scale: a million-row CSV builds, memory bounded. ---

/// Writes a valid long-format site with `rows` observation rows: 20 units,
/// 40 quarters, two measures, the rest in groups.
fn big_site(rows: usize) -> tempfile::TempDir {
    use std::fmt::Write as _;
    let site = copy_site(&fixture("minimal"));
    let data = site.path().join("data");
    for f in ["cases.csv", "staff.csv"] {
        std::fs::remove_file(data.join(f)).unwrap();
    }
    let units = 20;
    let quarters = 40;
    let measures = ["open_cases", "staff_fte"];
    let per_group = units * quarters * measures.len();
    let groups = rows.div_ceil(per_group);
    let mut toml = String::from("[areas.a]\nname = \"A\"\n");
    for u in 0..units {
        let _ = write!(
            toml,
            "[units.u{u:02}]\nname = \"Enhet {u}\"\narea = \"a\"\n"
        );
    }
    std::fs::write(data.join("units.toml"), toml).unwrap();
    let mut csv = String::with_capacity(rows * 32);
    csv.push_str("period,unit,measure,value,status,group\n");
    let mut written = 0;
    'out: for g in 0..groups {
        for u in 0..units {
            for q in 0..quarters {
                for m in measures {
                    if written == rows {
                        break 'out;
                    }
                    let period = format!("{}Q{}", 2015 + q / 4, q % 4 + 1);
                    let value = 10 + (g * 7 + u * 3 + q) % 90;
                    let group = if g == 0 {
                        String::new()
                    } else {
                        format!("g{g}")
                    };
                    let _ = writeln!(csv, "{period},u{u:02},{m},{value},,{group}");
                    written += 1;
                }
            }
        }
    }
    std::fs::write(data.join("big.csv"), csv).unwrap();
    // The fixture's reports name units of its own data; keep one page.
    std::fs::remove_dir_all(site.path().join("content")).unwrap();
    std::fs::create_dir_all(site.path().join("content")).unwrap();
    std::fs::write(
        site.path().join("content/_index.md"),
        "+++\ntitle = \"Stor\"\n+++\n\nU00 hade {{ value(measure=\"open_cases\", unit=\"u00\", period=\"2024Q4\") }} ärenden.\n",
    )
    .unwrap();
    site
}

fn assert_big_site_builds(rows: usize) {
    let site = big_site(rows);
    let (_parent, public, o) = build_fresh(site.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let all = std::fs::read_to_string(public.join("data/insyn-data.csv")).unwrap();
    assert!(all.lines().count() > rows / 2, "{}", all.lines().count());
    assert!(public.join("units/u19/index.html").exists());
}

#[test]
fn a_hundred_thousand_row_csv_builds() {
    assert_big_site_builds(100_000);
}

/// A million rows (about 30 MB of CSV). Slow in a debug build; run it in
/// release, measuring memory, with
/// `cargo test --release --test integration -- --ignored --nocapture million`
/// (peak RSS: see README.md, "Hostile input").
#[test]
#[ignore]
fn a_million_row_csv_builds() {
    assert_big_site_builds(1_000_000);
}

/// The inode of every file under `dir`, by inode number.
#[cfg(unix)]
fn inodes_under(dir: &Path) -> BTreeMap<u64, PathBuf> {
    use std::os::unix::fs::MetadataExt;
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.metadata().unwrap().ino(), e.into_path()))
        .collect()
}

/// At 10,000 units a site is gigabytes of pages, chart files and data
/// downloads: a build puts each into the build cache as it is made and
/// links it into the site, rather than holding the whole site in memory
/// until it is written (README.md, "Hostile input", scale).
#[cfg(unix)]
#[test]
fn pages_chart_files_and_downloads_go_into_the_cache_as_they_are_made() {
    use std::os::unix::fs::MetadataExt;
    let site = copy_site(&fixture("minimal"));
    let (_parent, public, o) = build_fresh(site.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let cache = site.path().join(".insyn-cache");
    let entries = inodes_under(&cache);
    let home = std::fs::read_to_string(public.join("index.html")).unwrap();
    let chart = home
        .split("src=\"")
        .filter_map(|s| s.split('"').next())
        .find(|s| s.ends_with("/chart.svg"))
        .expect("a chart on the home page")
        .trim_start_matches('/')
        .trim_end_matches("chart.svg")
        .to_string();
    for (file, kind) in [
        ("index.html".to_string(), "page"),
        (format!("{chart}index.html"), "page"),
        // Drawings are kept under their own kind, by chart fingerprint.
        (format!("{chart}chart.svg"), "svg"),
        (format!("{chart}chart-narrow.svg"), "svg"),
        (format!("{chart}data.csv"), "page"),
        ("data/insyn-data.csv".to_string(), "data"),
        ("data/excel/insyn-data.csv".to_string(), "data"),
    ] {
        let ino = std::fs::metadata(public.join(&file)).unwrap().ino();
        let entry = entries
            .get(&ino)
            .unwrap_or_else(|| panic!("{file} is not an entry of the build cache"));
        assert!(
            entry.starts_with(cache.join(kind)),
            "{file} is {}",
            entry.display()
        );
    }
    // The downloads are whole: the same rows as a build without a cache
    // would make (one line per published value, each with every field).
    let all = std::fs::read_to_string(public.join("data/insyn-data.csv")).unwrap();
    assert!(all.starts_with("period,unit,unit_name,measure,group,value,status\n"));
    let fields = all.lines().next().unwrap().split(',').count();
    assert!(all.lines().count() > 10);
    assert!(all.lines().all(|l| l.split(',').count() >= fields), "{all}");
}
