//! Builds real fixture sites and the demo site and asserts on the output.

use crate::support::*;

#[test]
fn demo_site_builds_with_home_report_and_charts() {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let o = build(&repo_root(), &public);
    assert!(o.status.success(), "{}", stderr(&o));
    let home = text(&public, "index.html");
    assert!(home.contains("<html lang=\"sv\">"));
    assert!(home.contains("Socialtjänsten i siffror"));
    let report = text(&public, "rapporter/2026-q3/index.html");
    // The figure comes from the data, not from the text.
    assert!(
        report.contains("<span class=\"figure\">431</span>"),
        "report lacks the open cases figure"
    );
    assert!(!report.contains("{{"), "a shortcode was left unrendered");
    assert!(
        report.contains("id=\"begransningar\""),
        "the limitations section is missing"
    );
    let svgs: Vec<String> = read_tree(&public)
        .into_keys()
        .filter(|k| k.ends_with("chart.svg"))
        .collect();
    assert!(svgs.len() >= 6, "expected charts, found {svgs:?}");
    // The small unit is never published on its own.
    assert!(!public.join("units/familjeratt/index.html").exists());
}

#[test]
fn report_figures_carry_their_caveats() {
    let site = fixture("minimal");
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let o = build(&site, &public);
    assert!(o.status.success(), "{}", stderr(&o));
    let report = text(&public, "rapporter/2024-q3/index.html");
    // Provisional value: marked, and the mark links to its limitation.
    assert!(
        report.contains(
            "<span class=\"figure\">143</span><sup class=\"mark\"><a href=\"#lim-provisional\""
        ),
        "{report}"
    );
    assert!(report.contains("id=\"lim-provisional\""));
    // A change across the 2024Q1 break is marked with the break.
    assert!(
        report.contains("<span class=\"figure\">+43\u{a0}%</span>"),
        "{report}"
    );
    assert!(report.contains("href=\"#lim-break-open_cases-2024q1\""));
    assert!(report.contains("id=\"lim-break-open_cases-2024q1\""));
    // A count of 3 is suppressed in prose.
    assert!(
        report.contains("<span class=\"figure\">&lt;5</span>"),
        "{report}"
    );
    // Limitations: the author's and the measure's own.
    assert!(report.contains("Författarens egen begränsning."));
    assert!(report.contains("Ett ärende kan gälla flera personer."));
    // Previous report link and the contact.
    assert!(
        report.contains("rel=\"prev\" href=\"../../rapporter/2024-q2/index.html\""),
        "{report}"
    );
    assert!(report.contains("mailto:test@example.org"));
}

#[test]
fn small_counts_and_small_units_never_reach_the_data_downloads() {
    let site = fixture("minimal");
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    assert!(build(&site, &public).status.success());
    let csv = text(&public, "data/insyn-data.csv");
    assert!(csv.contains("2023Q3,alfa,Alfa,new_cases,,,<5\n"), "{csv}");
    assert!(
        !csv.contains("liten"),
        "a folded unit's rows were published"
    );
    for (path, bytes) in read_tree(&public) {
        let s = String::from_utf8_lossy(&bytes);
        assert!(!path.contains("liten"), "{path}");
        assert!(
            !s.contains("alfa,new_cases,3"),
            "{path} leaks a suppressed count"
        );
    }
}

#[test]
fn output_is_byte_identical_across_runs_and_thread_counts() {
    let site = fixture("minimal");
    let out = tempfile::tempdir().unwrap();
    let mut trees = Vec::new();
    for threads in ["1", "2", "4"] {
        let public = out.path().join(format!("public-{threads}"));
        let o = insyn()
            .env("RAYON_NUM_THREADS", threads)
            .args(["build", "--root"])
            .arg(&site)
            .arg("--out")
            .arg(&public)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        trees.push(read_tree(&public));
    }
    assert_eq!(
        trees[0].keys().collect::<Vec<_>>(),
        trees[1].keys().collect::<Vec<_>>()
    );
    for (a, b) in [(0, 1), (0, 2)] {
        for (path, bytes) in &trees[a] {
            assert!(
                trees[b][path] == *bytes,
                "{path} differs between thread counts"
            );
        }
    }
}

#[test]
fn a_failed_build_leaves_the_previous_site_untouched() {
    let site = copy_site(&fixture("minimal"));
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    assert!(build(site.path(), &public).status.success());
    let before = read_tree(&public);
    // Break the data and build again into the same folder.
    std::fs::write(
        site.path().join("data/cases.csv"),
        "period,unit,measure,value\n2024Q3,alfa,open_cases,12x\n",
    )
    .unwrap();
    let o = build(site.path(), &public);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(read_tree(&public), before, "the previous site changed");
    let leftovers: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers,
        vec![std::ffi::OsString::from("public")],
        "a temporary folder was left behind"
    );
}

#[test]
fn report_page_snapshot() {
    let site = fixture("minimal");
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    assert!(build(&site, &public).status.success());
    let report = text(&public, "rapporter/2024-q2/index.html");
    insta::assert_snapshot!("minimal_report_2024_q2", report);
}

#[test]
fn feed_and_sitemap_are_well_formed_xml() {
    let site = fixture("minimal");
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    assert!(build(&site, &public).status.success());
    let feed = text(&public, "feed.xml");
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let entries = doc
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .count();
    assert_eq!(entries, 2);
    let sitemap = text(&public, "sitemap.xml");
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert!(
        locs.contains(&"https://test.example.org/rapporter/2024-q3/"),
        "{locs:?}"
    );
    assert!(
        locs.iter()
            .all(|l| l.starts_with("https://test.example.org/"))
    );
}

#[test]
fn every_demo_chart_svg_is_xml_with_title_desc_source_and_address() {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let o = build(&repo_root(), &public);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut checked = 0;
    for (path, bytes) in read_tree(&public) {
        if !path.ends_with(".svg") {
            continue;
        }
        let svg = String::from_utf8(bytes).unwrap();
        let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{path}: {e}"));
        let root = doc.root_element();
        assert_eq!(root.attribute("role"), Some("img"), "{path}");
        let child = |name: &str| {
            root.children()
                .find(|n| n.has_tag_name(name))
                .and_then(|n| n.text())
                .unwrap_or("")
        };
        assert!(!child("title").is_empty(), "{path} has no <title>");
        assert!(!child("desc").is_empty(), "{path} has no <desc>");
        // Long texts wrap over several text lines: join them, without blanks.
        let all_text: String = doc
            .descendants()
            .filter(|n| n.is_text())
            .filter_map(|n| n.text())
            .collect();
        let all_text: String = all_text.split_whitespace().collect();
        assert!(
            all_text.contains("Källa:"),
            "{path} does not name its source"
        );
        assert!(
            all_text.contains("Datauttagen6oktober2026"),
            "{path} lacks the data date"
        );
        let dir = &path[..path.rfind('/').unwrap() + 1];
        assert!(
            all_text.contains(&format!("https://insyn.example.org/{dir}")),
            "{path} lacks its address"
        );
        checked += 1;
    }
    assert!(checked > 10, "only {checked} charts");
}

#[test]
fn suppressed_values_appear_in_no_chart_output_of_the_fixture() {
    let site = fixture("minimal");
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    assert!(build(&site, &public).status.success());
    // Alfa's new cases in 2023Q3 were 3: every chart CSV that covers it says <5.
    let mut seen = 0;
    for (path, bytes) in read_tree(&public) {
        if !path.ends_with("data.csv") {
            continue;
        }
        let csv = String::from_utf8(bytes).unwrap();
        for line in csv
            .lines()
            .filter(|l| l.starts_with("2023Q3,alfa,new_cases"))
        {
            assert!(
                !line.contains(",3,") && !line.ends_with(",3"),
                "{path}: {line}"
            );
            seen += 1;
        }
    }
    assert!(seen > 0, "no chart showed the suppressed value");
    let unit = text(&public, "units/alfa/index.html");
    assert!(
        unit.contains("&lt;5"),
        "the unit page does not show the suppression"
    );
}

#[test]
fn an_inline_ratio_built_on_a_small_count_is_suppressed() {
    let site = copy_site(&fixture("minimal"));
    let cases = std::fs::read_to_string(site.path().join("data/cases.csv")).unwrap();
    let changed = cases.replace("2024Q1,beta,open_cases,86,", "2024Q1,beta,open_cases,3,");
    assert_ne!(cases, changed);
    std::fs::write(site.path().join("data/cases.csv"), changed).unwrap();
    std::fs::write(
        site.path().join("content/kvot.md"),
        "+++\ntitle = \"Kvot\"\n+++\n\nÄrenden per årsarbetare: {{ value(measure=\"cases_per_fte\", unit=\"beta\", period=\"2024Q1\") }}.\n",
    )
    .unwrap();
    let public = site.path().join("public");
    let o = build(site.path(), &public);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = text(&public, "kvot/index.html");
    // 3 cases over 8.5 FTE would print 0,4 and give the count away; the
    // ratio is not itself under 5, so it is said to be hidden, not `<5`.
    assert!(
        page.contains("<span class=\"figure\">dolt</span>"),
        "{page}"
    );
    assert!(
        !page.contains("<span class=\"figure\">&lt;5</span>"),
        "{page}"
    );
    assert!(!page.contains("0,4"), "{page}");
}
