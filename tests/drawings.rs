//! Chart drawings kept between builds (README, "Writing a report each
//! quarter"): a chart that did not change is not laid out again, its SVGs
//! and PNGs come from the build cache; a chart that changed is drawn anew.

use std::path::{Path, PathBuf};

use crate::support::*;
use insyn::BuildOptions;

fn options(site: &Path) -> BuildOptions {
    BuildOptions {
        cache_dir: Some(site.join(".insyn-cache")),
        ..BuildOptions::default()
    }
}

/// The cache entry of `kind` whose bytes are those of `file`.
fn entry_holding(site: &Path, kind: &str, file: &Path) -> PathBuf {
    let bytes = std::fs::read(file).unwrap();
    std::fs::read_dir(site.join(".insyn-cache").join(kind))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| std::fs::read(p).unwrap() == bytes)
        .unwrap_or_else(|| panic!("no {kind} entry holds {}", file.display()))
}

/// Replaces an entry by a new file (never in place: the output may share
/// the entry's inode).
fn replace_entry(entry: &Path, bytes: &[u8]) {
    std::fs::remove_file(entry).unwrap();
    std::fs::write(entry, bytes).unwrap();
}

const MARKER_SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"400\" viewBox=\"0 0 640 400\"><!-- kept --></svg>";
const MARKER_PNG: &[u8] = b"\x89PNG\r\n\x1a\nkept";

#[test]
fn an_unchanged_chart_is_taken_from_the_cache_and_a_changed_one_is_drawn_again() {
    let site = copy_site(&fixture("minimal"));
    let root = site.path();
    let out = root.join("public");
    insyn::build(root, &out, &options(root)).unwrap();

    let chart_dir = std::fs::read_dir(out.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.join("chart.svg").is_file())
        .expect("a chart");
    let svg_entry = entry_holding(root, "svg", &chart_dir.join("chart.svg"));
    let slide_entry = entry_holding(root, "png", &chart_dir.join("chart-16x9.png"));
    replace_entry(&svg_entry, MARKER_SVG.as_bytes());
    replace_entry(&slide_entry, MARKER_PNG);

    // Nothing changed: the drawing and the slide come from the cache.
    insyn::build(root, &out, &options(root)).unwrap();
    let svg = std::fs::read_to_string(chart_dir.join("chart.svg")).unwrap();
    assert_eq!(svg, MARKER_SVG, "the kept drawing was not used");
    assert_eq!(
        std::fs::read(chart_dir.join("chart-16x9.png")).unwrap(),
        MARKER_PNG,
        "the kept slide was not used"
    );

    // A new extraction date changes every chart's source line: every
    // chart is drawn again, and the marker is gone.
    let toml = root.join("site.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    assert!(text.contains("extracted = 2024-10-05"));
    std::fs::write(
        &toml,
        text.replace("extracted = 2024-10-05", "extracted = 2024-10-06"),
    )
    .unwrap();
    insyn::build(root, &out, &options(root)).unwrap();
    let svg = std::fs::read_to_string(chart_dir.join("chart.svg")).unwrap();
    assert!(svg.contains("6 okt") || svg.contains("6 oktober"), "{svg}");
    assert_ne!(
        std::fs::read(chart_dir.join("chart-16x9.png")).unwrap(),
        MARKER_PNG
    );
}

#[test]
fn a_build_without_a_cache_draws_the_same_files() {
    let site = copy_site(&fixture("minimal"));
    let root = site.path();
    let cached = root.join("cached");
    insyn::build(root, &cached, &options(root)).unwrap();
    // Again, with every drawing taken from the cache.
    insyn::build(root, &cached, &options(root)).unwrap();
    let fresh = root.join("fresh");
    insyn::build(root, &fresh, &BuildOptions::default()).unwrap();
    let a = read_tree(&cached);
    let b = read_tree(&fresh);
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(b[path] == *bytes, "{path} differs");
    }
}

#[test]
fn data_downloads_are_written_again_only_when_what_they_show_changed() {
    const MARKER_CSV: &str = "period,unit\nkept,kept\n";
    let site = copy_site(&fixture("minimal"));
    let root = site.path();
    let out = root.join("public");
    insyn::build(root, &out, &options(root)).unwrap();
    let full = out.join("data/insyn-data.csv");
    let excel = out.join("data/excel/insyn-data.csv");
    let full_entry = entry_holding(root, "data", &full);
    let excel_entry = entry_holding(root, "data", &excel);
    replace_entry(&full_entry, MARKER_CSV.as_bytes());
    replace_entry(&excel_entry, MARKER_CSV.as_bytes());

    // Only the text changed: the downloads are the kept ones.
    let home = root.join("content/_index.md");
    let text = std::fs::read_to_string(&home).unwrap();
    std::fs::write(&home, format!("{text}\nEtt stycke till.\n")).unwrap();
    insyn::build(root, &out, &options(root)).unwrap();
    assert_eq!(std::fs::read_to_string(&full).unwrap(), MARKER_CSV);
    assert_eq!(std::fs::read_to_string(&excel).unwrap(), MARKER_CSV);

    // A value changed: both are written again, with it.
    let cases = root.join("data/cases.csv");
    let csv = std::fs::read_to_string(&cases).unwrap();
    assert!(csv.contains("\n2023Q1,alfa,open_cases,100,\n"));
    std::fs::write(
        &cases,
        csv.replace(
            "\n2023Q1,alfa,open_cases,100,\n",
            "\n2023Q1,alfa,open_cases,107,\n",
        ),
    )
    .unwrap();
    insyn::build(root, &out, &options(root)).unwrap();
    for file in [&full, &excel] {
        let written = std::fs::read_to_string(file).unwrap();
        assert_ne!(
            written,
            MARKER_CSV,
            "{} was not written again",
            file.display()
        );
        assert!(
            written.contains("alfa") && written.contains("107"),
            "{written}"
        );
    }
}

/// A preview (`serve`, README "Command line") draws no PNG and writes none,
/// not even an empty file in its place: the build names every PNG a
/// publish writes, with the SVG it is drawn from when asked for.
#[test]
fn a_preview_writes_no_png_and_names_each_with_its_svg() {
    let site = copy_site(&fixture("minimal"));
    let root = site.path();
    let preview = root.join("preview");
    let options = BuildOptions {
        mode: insyn::BuildMode::Preview,
        ..options(root)
    };
    let report = insyn::build(root, &preview, &options).unwrap();
    let written = read_tree(&preview);
    let empty: Vec<&String> = written
        .iter()
        .filter(|(_, bytes)| bytes.is_empty())
        .map(|(path, _)| path)
        .collect();
    assert!(empty.is_empty(), "empty files: {empty:?}");
    assert!(!written.keys().any(|p| p.ends_with(".png")));

    let published = root.join("published");
    insyn::build(root, &published, &BuildOptions::default()).unwrap();
    let pngs: Vec<String> = read_tree(&published)
        .into_keys()
        .filter(|p| p.ends_with(".png"))
        .collect();
    assert!(pngs.len() >= 3, "{pngs:?}");
    assert_eq!(report.deferred.keys().cloned().collect::<Vec<_>>(), pngs);
    for (path, png) in &report.deferred {
        let svg = png
            .read_svg(&preview)
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        assert!(svg.starts_with("<svg"), "{path}");
    }
}
