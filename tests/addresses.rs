//! Addresses are forever (§6), editions are an archive, charts can be
//! embedded, and citations give the publication date. Each test starts from
//! the site `insyn init` makes, as a new user would.

use std::path::Path;

use crate::support::*;

fn publish_with(root: &Path, date: &str, png: bool) {
    let mut options = cached_options(root, png);
    options.publish_date = Some(date.to_string());
    insyn::publish(root, &root.join("public"), &options).unwrap();
}

fn publish(root: &Path, date: &str) {
    publish_with(root, date, false);
}

fn build(root: &Path) {
    insyn::build(root, &root.join("public"), &cached_options(root, false)).unwrap();
}

/// Adds the quarter after the data's last one, with the same values.
fn add_quarter(root: &Path, from: &str, to: &str) {
    let file = root.join("data/arenden-och-bemanning.csv");
    let csv = std::fs::read_to_string(&file).unwrap();
    let more: String = csv
        .lines()
        .filter(|l| l.starts_with(from))
        .map(|l| format!("{to}{}\n", &l[from.len()..]))
        .collect();
    assert!(!more.is_empty(), "no rows for {from}");
    std::fs::write(&file, format!("{csv}{more}")).unwrap();
}

/// The page addresses of a built site (every `index.html` outside the
/// editions archive), as paths relative to the site root.
fn page_addresses(out: &Path) -> Vec<String> {
    read_tree(out)
        .into_keys()
        .filter(|p| p.ends_with("index.html") && !p.starts_with("editions/"))
        .map(|p| p.trim_end_matches("index.html").to_string())
        .collect()
}

#[test]
fn every_address_of_a_published_site_answers_after_a_new_quarter() {
    let dir = init_site();
    let root = dir.path().join("site");
    publish(&root, "2026-01-20");
    let out = root.join("public");
    let first = page_addresses(&out);
    let charts: Vec<&String> = first.iter().filter(|p| p.starts_with("charts/")).collect();
    assert!(charts.len() >= 15, "{charts:?}");
    let following = "charts/growth-open_cases-staff_fte-norr/";
    assert!(first.iter().any(|p| p == following), "{first:?}");

    add_quarter(&root, "2025Q4", "2026Q1");
    build(&root);
    let gone: Vec<&String> = first
        .iter()
        .filter(|p| !out.join(p).join("index.html").is_file())
        .collect();
    assert!(gone.is_empty(), "addresses that died: {gone:?}");
    // The chart that follows the latest data shows the new quarter at the
    // same address; the report's chart stays pinned to its quarter.
    let page = text(&out, &format!("{following}index.html"));
    assert!(page.contains("K1\u{a0}2026"), "{page}");
    let pinned = text(
        &out,
        "charts/growth-open_cases-staff_fte-norr-2024q1-2025q4/index.html",
    );
    assert!(
        pinned
            .contains("<h1>Aktuella ärenden och årsarbetare, Norr, K1\u{a0}2024–K4\u{a0}2025</h1>"),
        "{pinned}"
    );
    assert!(pinned.contains(&format!("href=\"../../{following}index.html\"")));
    // The link check knows the recorded addresses too.
    insyn::check(&root).unwrap();
}

#[test]
fn an_address_that_is_gone_answers_with_what_it_was() {
    let dir = init_site();
    let root = dir.path().join("site");
    publish(&root, "2026-01-20");
    // The report and with it its pinned charts leave the site.
    std::fs::remove_file(root.join("content/rapporter/2025-q4.md")).unwrap();
    build(&root);
    let out = root.join("public");
    let report = text(&out, "rapporter/2025-q4/index.html");
    assert!(report.contains("publicerades senast i utgåvan"), "{report}");
    assert!(report.contains("<strong>kvartal 4 2025</strong> (publicerad 20 januari 2026)"));
    assert!(report.contains("noindex"));
    let pinned = "charts/growth-open_cases-staff_fte-norr-2024q1-2025q4/";
    let moved = text(&out, &format!("{pinned}index.html"));
    assert!(
        moved.contains(&format!(
            "href=\"../../editions/2025q4/{pinned}index.html\""
        )),
        "{moved}"
    );
    assert!(
        moved.contains("href=\"../../charts/growth-open_cases-staff_fte-norr/index.html\""),
        "{moved}"
    );
    // The frozen copy is still there, as published.
    assert!(
        out.join("editions/2025q4")
            .join(pinned)
            .join("chart.svg")
            .is_file()
    );
    insyn::check(&root).unwrap();
}

#[test]
fn publish_freezes_chart_pages_and_downloads_as_an_archive() {
    let dir = init_site();
    let root = dir.path().join("site");
    publish_with(&root, "2026-01-20", true);
    let out = root.join("public");
    let frozen = "editions/2025q4/charts/growth-open_cases-staff_fte-norr/";
    for file in [
        "index.html",
        "chart.svg",
        "chart-narrow.svg",
        "chart.png",
        "data.csv",
    ] {
        let meta = std::fs::metadata(out.join(frozen).join(file));
        assert!(meta.is_ok_and(|m| m.len() > 0), "{frozen}{file}");
    }
    let bundle = format!("{frozen}growth-open_cases-staff_fte-norr.zip");
    assert!(out.join(&bundle).is_file());
    // The frozen image prints the frozen address, which never changes.
    let svg = text(&out, &format!("{frozen}chart.svg"));
    assert!(
        svg.contains(&format!("https://insyn.example.org/{frozen}")),
        "{svg}"
    );
    let page = text(&out, &format!("{frozen}index.html"));
    assert!(page.contains("fryst kopia"), "{page}");
    assert!(page.contains("href=\"../../../../revisions/index.html\""));
    assert!(
        page.contains("href=\"../../../../charts/growth-open_cases-staff_fte-norr/index.html\"")
    );
    assert!(page.contains(
        "I: Socialtjänsten i siffror, utgåva kvartal 4 2025. Publicerad 20 januari 2026."
    ));
    // No slide formats in a frozen copy: its page links to the current ones.
    assert!(!out.join(frozen).join("chart-16x9.png").exists());
    assert!(!out.join(frozen).join("chart-square.png").exists());
    assert!(!page.contains("chart-16x9.png"), "{page}");
    assert!(page.contains(
        "de finns för <a href=\"../../../../charts/growth-open_cases-staff_fte-norr/index.html\">det aktuella diagrammet</a>"
    ), "{page}");
    // The repository keeps it: a manifest and objects by content, and
    // nothing it can make again: the PNG is drawn from the frozen SVG, the
    // bundle zipped from a stored readme and the frozen files.
    let manifest = std::fs::read_to_string(root.join("editions/2025Q4/manifest.tsv")).unwrap();
    assert!(manifest.contains("published\t2026-01-20\n"));
    assert!(manifest.contains("page\tcharts/growth-open_cases-staff_fte-norr/\t"));
    assert!(manifest.contains("file\tcharts/growth-open_cases-staff_fte-norr/chart.svg\t"));
    assert!(manifest.contains(
        "png\tcharts/growth-open_cases-staff_fte-norr/chart.png\tcharts/growth-open_cases-staff_fte-norr/chart.svg\n"
    ));
    assert!(manifest.contains(
        "bundle\tcharts/growth-open_cases-staff_fte-norr/growth-open_cases-staff_fte-norr.zip\t"
    ));
    let stored_kinds: Vec<&str> = manifest
        .lines()
        .filter_map(|l| l.strip_prefix("file\t"))
        .filter_map(|l| l.split('\t').next()?.rsplit_once('.'))
        .map(|(_, ext)| ext)
        .collect();
    assert!(
        !stored_kinds.iter().any(|ext| ["png", "zip"].contains(ext)),
        "{manifest}"
    );
    let png = std::fs::read(out.join(frozen).join("chart.png")).unwrap();
    let zip = std::fs::read(out.join(&bundle)).unwrap();

    // The next quarter's edition shares every file that did not change.
    add_quarter(&root, "2025Q4", "2026Q1");
    publish_with(&root, "2026-04-21", true);
    let manifests: usize = ["2025Q4", "2026Q1"]
        .iter()
        .map(|e| {
            std::fs::read_to_string(root.join("editions").join(e).join("manifest.tsv"))
                .unwrap()
                .lines()
                // A stored file, or a bundle's stored readme.
                .filter(|l| l.starts_with("file\t") || l.starts_with("bundle\t"))
                .count()
        })
        .sum();
    let objects = walkdir::WalkDir::new(root.join("editions/objects"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .count();
    assert!(
        objects < manifests,
        "{objects} objects for {manifests} files"
    );
    // The first edition's copies are still as they were, the re-made
    // picture and bundle byte for byte.
    let out = root.join("public");
    assert_eq!(text(&out, &format!("{frozen}chart.svg")), svg);
    assert_eq!(text(&out, &format!("{frozen}index.html")), page);
    assert!(std::fs::read(out.join(frozen).join("chart.png")).unwrap() == png);
    assert!(std::fs::read(out.join(&bundle)).unwrap() == zip);
    assert!(
        out.join("editions/2026q1/charts/growth-open_cases-staff_fte-norr/index.html")
            .is_file()
    );
    // In the next build, identical files of two editions are links to one
    // object: the pinned report chart's data did not change.
    insyn::build(&root, &out, &cached_options(&root, true)).unwrap();
    let pinned = "charts/growth-open_cases-staff_fte-norr-2024q1-2025q4/data.csv";
    let inode = |edition: &str| {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(out.join("editions").join(edition).join(pinned))
            .unwrap()
            .ino()
    };
    assert_eq!(inode("2025q4"), inode("2026q1"));
}

#[test]
fn citations_give_the_publication_date_and_leave_the_access_date_to_the_reader() {
    let dir = init_site();
    let root = dir.path().join("site");
    // Unpublished: the newest report's date, never the clock.
    build(&root);
    let out = root.join("public");
    let report = text(&out, "rapporter/2025-q4/index.html");
    let date = report
        .split("datetime=\"")
        .nth(1)
        .and_then(|s| s.get(..10))
        .expect("the report's date")
        .to_string();
    let chart = text(&out, "charts/growth-open_cases-staff_fte-norr/index.html");
    let (y, _) = date.split_once('-').unwrap();
    assert!(chart.contains(&format!("({y})")), "{chart}");
    let published = insyn::format::date_long(&date, insyn::text::Lang::Sv);
    assert!(
        chart.contains(&format!("Publicerad {published}.")),
        "{chart}"
    );
    assert!(chart.contains("(hämtad [datum])"), "{chart}");
    assert!(!chart.contains("Den här utgåvan"), "{chart}");
    let again = text(&out, "charts/growth-open_cases-staff_fte-norr/index.html");
    build(&root);
    assert_eq!(
        text(&out, "charts/growth-open_cases-staff_fte-norr/index.html"),
        again
    );

    // Published: the edition's date, in both citations.
    publish(&root, "2026-01-20");
    let chart = text(&out, "charts/growth-open_cases-staff_fte-norr/index.html");
    assert!(chart.contains("Den här utgåvan (kvartal 4 2025, publicerad 20 januari 2026)"));
    assert!(chart.contains("Senaste versionen (publicerad 20 januari 2026)"));
    assert!(chart.contains(
        "https://insyn.example.org/editions/2025q4/charts/growth-open_cases-staff_fte-norr/ (hämtad [datum])"
    ));
    assert!(chart.contains(
        "https://insyn.example.org/charts/growth-open_cases-staff_fte-norr/ (hämtad [datum])"
    ));
    // A rebuild of the published edition cites the same.
    build(&root);
    assert_eq!(
        text(&out, "charts/growth-open_cases-staff_fte-norr/index.html"),
        chart
    );
    let bundle = std::fs::read(
        out.join("charts/growth-open_cases-staff_fte-norr/growth-open_cases-staff_fte-norr.zip"),
    )
    .unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bundle)).unwrap();
    let mut readme = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("README.txt").unwrap(), &mut readme).unwrap();
    assert!(readme.contains("Publicerad 20 januari 2026"), "{readme}");
    assert!(readme.contains("(hämtad [datum])"), "{readme}");
}

#[test]
fn every_chart_has_an_embed_page_and_copyable_snippets() {
    let dir = init_site();
    let root = dir.path().join("site");
    build(&root);
    let out = root.join("public");
    let chart = "charts/growth-open_cases-staff_fte-norr/";
    let embed = text(&out, &format!("{chart}embed/index.html"));
    assert!(!embed.contains("<script"), "{embed}");
    assert!(embed.contains("http-equiv=\"Content-Security-Policy\""));
    assert!(!embed.contains("frame-ancestors"));
    assert!(embed.contains("<img src=\"../chart.svg\" alt=\"Aktuella ärenden"));
    assert!(embed.contains("href=\"../index.html\" target=\"_top\""));
    assert!(embed.contains("Källa: "));
    assert!(embed.contains("static/embed.css"));
    // Every chart page has one.
    for page in page_addresses(&out)
        .iter()
        .filter(|p| p.starts_with("charts/") && !p.ends_with("/embed/"))
    {
        assert!(out.join(page).join("embed/index.html").is_file(), "{page}");
    }
    // The chart page offers the markup as text to copy, no script needed.
    let page = text(&out, &format!("{chart}index.html"));
    assert!(page.contains(&format!(
        "<pre class=\"cite snippet\"><code>&lt;iframe src=&quot;https://insyn.example.org/{chart}embed/&quot; title=&quot;"
    )), "{page}");
    assert!(page.contains(&format!(
        "&lt;a href=&quot;https://insyn.example.org/{chart}&quot;&gt;&lt;img src=&quot;https://insyn.example.org/{chart}chart.png&quot; alt=&quot;Aktuella ärenden"
    )), "{page}");
    assert!(page.contains("href=\"embed/index.html\""));
}

/// A preview publish draws no PNG, and records the same edition as one that
/// draws them all: the archive stores no PNG, only that each frozen
/// `chart.png` is re-made from the frozen SVG beside it.
#[test]
fn a_preview_publish_records_the_same_edition_as_a_full_one() {
    let manifests = |png: bool| {
        let dir = init_site();
        let root = dir.path().join("site");
        publish_with(&root, "2026-04-21", png);
        let mut texts = Vec::new();
        for edition in std::fs::read_dir(root.join("editions")).unwrap() {
            let manifest = edition.unwrap().path().join("manifest.tsv");
            if manifest.is_file() {
                texts.push(std::fs::read_to_string(manifest).unwrap());
            }
        }
        texts
    };
    let drawn = manifests(true);
    let preview = manifests(false);
    assert_eq!(drawn.len(), 1);
    assert!(
        drawn[0].lines().any(|l| l.starts_with("png\t")),
        "no re-made PNG recorded:\n{}",
        drawn[0]
    );
    assert_eq!(preview, drawn);
}
