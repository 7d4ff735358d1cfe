use super::*;
use crate::site::bundle::BUNDLE_ENTRIES;

/// The edition's data, which `crate::record_publication` writes last: an
/// edition counts only once it is there.
fn with_data(ed: &Path) {
    std::fs::write(
        ed.join("data.csv"),
        "period,unit,measure,group,value,status\n",
    )
    .unwrap();
}

/// [`super::record`], then the edition's data.
fn record(
    root: &Path,
    name: &str,
    published: &str,
    pages: &[PageRecord],
    out: &Path,
    deferred: &[&str],
) -> std::io::Result<std::path::PathBuf> {
    let manifest = super::record(root, name, published, pages, out, deferred)?;
    with_data(manifest.parent().unwrap());
    Ok(manifest)
}

/// An edition whose files were stored but whose data was never written (a
/// publish stopped before its last write) is not in the archive.
#[test]
fn an_edition_without_its_data_was_not_published() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let out = root.join("public");
    std::fs::create_dir_all(&out).unwrap();
    super::record(root, "2024Q3", "2024-10-20", &[], &out, &[]).unwrap();
    assert!(load(root).unwrap().get("2024Q3").is_none());
    with_data(&root.join("editions/2024Q3"));
    assert!(load(root).unwrap().get("2024Q3").is_some());
}

#[test]
fn a_manifest_reads_back_and_objects_are_stored_once() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let out = root.join("public");
    let frozen = out.join("editions/2024q3/charts/a");
    std::fs::create_dir_all(&frozen).unwrap();
    std::fs::write(frozen.join("index.html"), "same").unwrap();
    std::fs::write(frozen.join("data.csv"), "same").unwrap();
    let pages = vec![PageRecord {
        path: "charts/a/".into(),
        title: "A\ttitle".into(),
        current: "charts/a/".into(),
    }];
    record(root, "2024Q3", "2024-10-20", &pages, &out, &[]).unwrap();
    let archive = load(root).unwrap();
    let e = archive.get("2024Q3").unwrap();
    assert_eq!(e.published, "2024-10-20");
    assert_eq!(e.pages[0].title, "A title");
    assert_eq!(e.files.len(), 2);
    let objects: Vec<_> = walkdir::WalkDir::new(root.join("editions/objects"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .collect();
    assert_eq!(objects.len(), 1, "identical files share one object");

    // Published again with other content: what was frozen stays.
    std::fs::write(frozen.join("index.html"), "changed").unwrap();
    record(root, "2024Q3", "2025-01-01", &pages, &out, &[]).unwrap();
    let again = load(root).unwrap();
    let e2 = again.get("2024Q3").unwrap();
    assert_eq!(e2.published, "2024-10-20");
    assert_eq!(e2.files, e.files);
}

#[test]
fn pictures_and_bundles_are_remade_not_stored_unless_they_differ() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let out = root.join("public");
    let chart = out.join("editions/2024q3/charts/a");
    let other = out.join("editions/2024q3/charts/b");
    for (folder, svg) in [(&chart, "<svg>a</svg>"), (&other, "<svg>b</svg>")] {
        std::fs::create_dir_all(folder).unwrap();
        std::fs::write(folder.join("chart.svg"), svg).unwrap();
        std::fs::write(folder.join("chart.png"), "pixels").unwrap();
        std::fs::write(folder.join("data.csv"), "csv").unwrap();
        std::fs::write(folder.join("data-excel.csv"), "excel").unwrap();
    }
    // A bundle as the build makes it, and one that is not.
    let texts = ["readme", "<svg>a</svg>", "csv", "excel"];
    let entries: Vec<(&str, &str)> = BUNDLE_ENTRIES.iter().copied().zip(texts).collect();
    let zip = crate::site::bundle::zip_archive(&entries).unwrap();
    std::fs::write(chart.join("a.zip"), &zip).unwrap();
    std::fs::write(other.join("b.zip"), "not a zip").unwrap();
    record(root, "2024Q3", "2024-10-20", &[], &out, &[]).unwrap();

    let archive = load(root).unwrap();
    let e = archive.get("2024Q3").unwrap();
    assert_eq!(
        e.remade.get("charts/a/chart.png"),
        Some(&Remade::Png {
            svg: "charts/a/chart.svg".into()
        })
    );
    assert!(matches!(
        e.remade.get("charts/a/a.zip"),
        Some(Remade::Bundle { .. })
    ));
    assert!(!e.files.contains_key("charts/a/chart.png"));
    assert!(!e.files.contains_key("charts/a/a.zip"));
    // What cannot be made again is kept as it is.
    assert!(e.files.contains_key("charts/b/b.zip"));
    // The bundle is made again from its stored parts, byte for byte.
    let remade = archive.remade_files();
    let Some((_, RemadeFile::Bundle { parts })) = remade
        .iter()
        .find(|(p, _)| p == "editions/2024q3/charts/a/a.zip")
    else {
        panic!("the bundle is not re-made");
    };
    let texts: Vec<String> = parts
        .iter()
        .map(|p| {
            String::from_utf8(open(root, p, None).unwrap().read().unwrap().into_owned()).unwrap()
        })
        .collect();
    let entries: Vec<(&str, &str)> = BUNDLE_ENTRIES
        .iter()
        .copied()
        .zip(texts.iter().map(String::as_str))
        .collect();
    assert!(crate::site::bundle::zip_archive(&entries).unwrap() == zip);
}

#[test]
fn a_remade_file_without_its_source_is_a_damaged_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let ed = dir.path().join("editions/2024Q3");
    std::fs::create_dir_all(&ed).unwrap();
    std::fs::write(
        ed.join(MANIFEST),
        "published\t2024-10-20\npng\tcharts/a/chart.png\tcharts/a/chart.svg\n",
    )
    .unwrap();
    with_data(&ed);
    let problems = load(dir.path()).unwrap_err();
    assert!(
        problems[0]
            .message
            .contains("`charts/a/chart.svg`, which it does not list"),
        "{:?}",
        problems[0]
    );
}

#[test]
fn a_damaged_manifest_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let ed = dir.path().join("editions/2024Q3");
    std::fs::create_dir_all(&ed).unwrap();
    std::fs::write(
        ed.join(MANIFEST),
        "published\t2024-10-20\nfile\tx\tnothex\t3\n",
    )
    .unwrap();
    with_data(&ed);
    let problems = load(dir.path()).unwrap_err();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].line, Some(2), "{:?}", problems[0]);
}

/// The publication date is cited on every frozen page of the edition: a
/// hand edit that makes it no date of the calendar is an error at its line
/// (it had been read as it stood, because it had the shape of a date).
#[test]
fn a_publication_date_not_of_the_calendar_is_a_damaged_manifest() {
    for date in ["2024-13-45", "2024-02-30", "20.10.2024"] {
        let dir = tempfile::tempdir().unwrap();
        let ed = dir.path().join("editions/2024Q3");
        std::fs::create_dir_all(&ed).unwrap();
        std::fs::write(ed.join(MANIFEST), format!("# insyn\npublished\t{date}\n")).unwrap();
        with_data(&ed);
        let problems = load(dir.path()).unwrap_err();
        assert_eq!(problems.len(), 1, "{date}");
        assert_eq!(problems[0].line, Some(2), "{:?}", problems[0]);
        assert!(
            problems[0]
                .message
                .contains(&format!("`{date}` is not a date")),
            "{:?}",
            problems[0]
        );
    }
}

/// Publishes edition `name` of a site whose one chart's CSV holds `rows`
/// rows, as the build leaves it in `out`: the earlier editions' frozen
/// copies put back, this one's frozen.
fn publish_rows(root: &Path, out: &Path, name: &str, rows: usize) {
    let archive = load(root).unwrap();
    let _ = std::fs::remove_dir_all(out);
    for (path, body) in archive.output_files(root) {
        let target = out.join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, body.read().unwrap()).unwrap();
    }
    for (path, object) in archive.packed_files().into_iter().flatten() {
        let target = out.join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, open(root, &object, None).unwrap().read().unwrap()).unwrap();
    }
    let csv: String = (0..rows)
        .map(|i| {
            format!(
                "20{:02}Q{},nordost,open_cases,{},\n",
                i / 4,
                i % 4 + 1,
                100 + i
            )
        })
        .collect();
    for unit in ["nordost", "sydost"] {
        let folder = out
            .join(edition_dir(name))
            .join(format!("charts/series-open_cases-{unit}"));
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("data.csv"), csv.replace("nordost", unit)).unwrap();
    }
    record(root, name, "2025-01-01", &[], out, &[]).unwrap();
}

/// The first line of the packed object of `name`'s file `path`: its base.
fn header(root: &Path, name: &str, path: &str) -> (Object, String) {
    let archive = load(root).unwrap();
    let object = archive.get(name).unwrap().files[path].clone();
    let file = std::fs::read(objects::packed_path(root, &object.hash)).unwrap();
    let line = file.split(|&b| b == b'\n').next().unwrap().to_vec();
    (object, String::from_utf8(line).unwrap())
}

#[test]
fn a_file_is_packed_against_the_previous_edition_or_a_like_chart() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let out = root.join("public");
    publish_rows(root, &out, "2024Q3", 40);
    let nordost = "charts/series-open_cases-nordost/data.csv";
    let sydost = "charts/series-open_cases-sydost/data.csv";
    // The first chart of its kind is packed alone, the next against it.
    let (first, line) = header(root, "2024Q3", nordost);
    assert!(first.packed);
    assert_eq!(line, "insyn-packed 1 -");
    let (_, line) = header(root, "2024Q3", sydost);
    assert_eq!(line, format!("insyn-packed 1 {}", first.hash));

    // A quarter later, each file against its own previous copy.
    publish_rows(root, &out, "2024Q4", 41);
    let before = load(root).unwrap().get("2024Q3").unwrap().files[sydost].clone();
    let (after, line) = header(root, "2024Q4", sydost);
    assert_eq!(line, format!("insyn-packed 1 {}", before.hash));
    let stored = std::fs::metadata(objects::packed_path(root, &after.hash))
        .unwrap()
        .len();
    assert!(stored < after.len / 10, "{stored} bytes for {}", after.len);
    // And both come back byte for byte, the first edition's unchanged.
    let archive = load(root).unwrap();
    let files: BTreeMap<String, Object> = archive.packed_files().into_iter().flatten().collect();
    let text = |path: &str| {
        String::from_utf8(
            open(root, &files[path], None)
                .unwrap()
                .read()
                .unwrap()
                .into_owned(),
        )
        .unwrap()
    };
    assert_eq!(
        text(&format!("editions/2024q4/{sydost}")).lines().count(),
        41
    );
    assert_eq!(
        text(&format!("editions/2024q3/{sydost}")),
        std::fs::read_to_string(out.join("editions/2024q3").join(sydost)).unwrap()
    );
}

#[test]
fn a_manifest_of_raw_objects_still_reads_and_links_them() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let hash = blake3::hash(b"<svg/>").to_hex().to_string();
    let object = objects::object_path(root, &hash);
    std::fs::create_dir_all(object.parent().unwrap()).unwrap();
    std::fs::write(&object, "<svg/>").unwrap();
    let ed = root.join("editions/2024Q3");
    std::fs::create_dir_all(&ed).unwrap();
    std::fs::write(
        ed.join(MANIFEST),
        format!("published\t2024-10-20\nfile\tcharts/a/chart.svg\t{hash}\t6\npng\tcharts/a/chart.png\tcharts/a/chart.svg\n"),
    )
    .unwrap();
    with_data(&ed);
    let archive = load(root).unwrap();
    assert!(!archive.get("2024Q3").unwrap().files["charts/a/chart.svg"].packed);
    assert_eq!(
        archive.output_files(root),
        vec![(
            "editions/2024q3/charts/a/chart.svg".to_string(),
            FileBody::on_disk(object, 6)
        )]
    );
    assert!(archive.packed_files().iter().all(Vec::is_empty));
    // Written again, as it was read.
    let text = manifest::manifest_text(archive.get("2024Q3").unwrap());
    assert!(
        text.contains(&format!("file\tcharts/a/chart.svg\t{hash}\t6\n")),
        "{text}"
    );
}
