//! The editions archive keeps what it recorded byte for byte, whichever way
//! it was stored: an archive recorded before objects were packed (the
//! fixture `archive-v1`: raw objects, written by `insyn publish` of the
//! `insyn init` site, trimmed to two charts' files) still builds as it was
//! published, and a new edition published on top of it packs its files
//! against the raw ones.

use std::path::Path;

use crate::support::*;

/// A site from `insyn init` with the fixture's archive, in a temporary
/// folder.
fn site_with_old_archive() -> tempfile::TempDir {
    let dir = init_site();
    copy_dir(
        &repo_root().join("tests/fixtures/archive-v1/editions"),
        &dir.path().join("site/editions"),
    );
    dir
}

fn options(root: &Path, png: bool, date: Option<&str>) -> insyn::BuildOptions {
    insyn::BuildOptions {
        publish_date: date.map(str::to_string),
        ..cached_options(root, png)
    }
}

/// The stored files an edition's manifest lists: (path, hash, packed).
fn listed(root: &Path, edition: &str) -> Vec<(String, String, bool)> {
    std::fs::read_to_string(root.join("editions").join(edition).join("manifest.tsv"))
        .unwrap()
        .lines()
        .filter_map(|l| l.strip_prefix("file\t"))
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (
                f[0].to_string(),
                f[1].to_string(),
                f.get(3) == Some(&"packed"),
            )
        })
        .collect()
}

/// Every stored file of `edition` is in the built site as it was recorded.
fn assert_as_recorded(root: &Path, edition: &str) {
    let out = root.join("public");
    let files = listed(root, edition);
    assert!(!files.is_empty(), "{edition} lists no file");
    for (path, hash, _) in files {
        let built = out
            .join("editions")
            .join(edition.to_lowercase())
            .join(&path);
        let bytes = std::fs::read(&built).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(
            blake3::hash(&bytes).to_hex().as_str(),
            hash,
            "{edition} {path}"
        );
    }
}

#[test]
fn an_archive_recorded_before_packing_builds_as_published_and_packs_what_follows() {
    let dir = site_with_old_archive();
    let root = dir.path().join("site");
    let out = root.join("public");
    let fixture = repo_root().join("tests/fixtures/archive-v1");
    insyn::build(&root, &out, &options(&root, true, None)).unwrap();
    assert_as_recorded(&root, "2025Q4");
    // Raw objects are linked as they are, not unpacked.
    let frozen = out.join("editions/2025q4/charts/growth-open_cases-staff_fte-norr");
    let (_, hash, packed) = listed(&root, "2025Q4")
        .into_iter()
        .find(|(p, _, _)| p == "charts/growth-open_cases-staff_fte-norr/data.csv")
        .unwrap();
    assert!(!packed);
    let object = root
        .join("editions/objects")
        .join(&hash[..2])
        .join(&hash[2..]);
    assert!(same_file::is_same_file(frozen.join("data.csv"), &object).unwrap());
    // Bundles zipped again byte for byte, the PNG drawn from the frozen SVG.
    for slug in ["growth-open_cases-staff_fte-norr", "compare-cases_per_fte"] {
        let zip = format!("editions/2025q4/charts/{slug}/{slug}.zip");
        let published = std::fs::read(fixture.join(format!("published/{slug}.zip"))).unwrap();
        assert!(std::fs::read(out.join(&zip)).unwrap() == published, "{zip}");
    }
    assert!(std::fs::metadata(frozen.join("chart.png")).unwrap().len() > 0);
    let warnings = insyn::check(&root).unwrap();
    assert!(
        warnings.iter().all(|w| !w.message.contains("edition")),
        "{warnings:?}"
    );

    // A quarter later, published on top: packed, against the raw objects.
    let file = root.join("data/arenden-och-bemanning.csv");
    let csv = std::fs::read_to_string(&file).unwrap();
    let more: String = csv
        .lines()
        .filter_map(|l| l.strip_prefix("2025Q4"))
        .map(|rest| format!("2026Q1{rest}\n"))
        .collect();
    std::fs::write(&file, format!("{csv}{more}")).unwrap();
    insyn::publish(&root, &out, &options(&root, false, Some("2026-04-21"))).unwrap();
    let old_manifest = std::fs::read(fixture.join("editions/2025Q4/manifest.tsv")).unwrap();
    assert!(std::fs::read(root.join("editions/2025Q4/manifest.tsv")).unwrap() == old_manifest);
    // Each new file packed, but for one already stored raw (the pinned
    // chart's CSV is the same as the earlier edition's): that is shared.
    let new = listed(&root, "2026Q1");
    let raw = |hash: &str| {
        root.join("editions/objects")
            .join(&hash[..2])
            .join(&hash[2..])
    };
    for (path, hash, packed) in &new {
        assert!(*packed || raw(hash).is_file(), "{path}");
    }
    assert!(new.iter().filter(|(_, _, packed)| *packed).count() > new.len() / 2);
    let (_, new_hash, _) = new
        .iter()
        .find(|(p, _, _)| p == "charts/growth-open_cases-staff_fte-norr/data.csv")
        .unwrap();
    assert_ne!(new_hash, &hash, "the chart follows the new quarter");
    let packed = root
        .join("editions/objects")
        .join(&new_hash[..2])
        .join(format!("{}.z", &new_hash[2..]));
    let head = std::fs::read(&packed).unwrap();
    assert!(
        head.starts_with(format!("insyn-packed 1 {hash}\n").as_bytes()),
        "packed against the earlier edition's raw copy"
    );
    assert_as_recorded(&root, "2025Q4");
    assert_as_recorded(&root, "2026Q1");

    // A machine without the build cache unpacks the same bytes.
    std::fs::remove_dir_all(root.join(".insyn-cache")).unwrap();
    insyn::build(&root, &out, &options(&root, false, None)).unwrap();
    assert_as_recorded(&root, "2025Q4");
    assert_as_recorded(&root, "2026Q1");
    insyn::check(&root).unwrap();
}
