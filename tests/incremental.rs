//! Incremental rebuilds (`insyn serve`): an edit to a page's text re-renders
//! that page only, and what is written then equals a full build of the
//! edited site, file for file. Anything that can reach other pages asks for
//! a full build.

use std::path::{Path, PathBuf};

use crate::support::*;
use insyn::{BuildOptions, LiveSite, Update};

const REPORT: &str = "content/rapporter/2024-q3.md";

fn options(site: &Path) -> BuildOptions {
    BuildOptions {
        cache_dir: Some(site.join(".insyn-cache")),
        ..BuildOptions::default()
    }
}

fn built(site: &Path) -> (LiveSite, PathBuf) {
    let out = site.join("public");
    let (live, _) = LiveSite::build(site, &out, &options(site), &mut |_| {}).unwrap();
    (live, out)
}

fn edit(site: &Path, rel: &str, from: &str, to: &str) {
    let path = site.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} has no {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// Edits the report (`from` to `to`) and brings `live` up to date.
fn update_report(live: &mut LiveSite, site: &Path, from: &str, to: &str) -> Update {
    edit(site, REPORT, from, to);
    live.update(&[PathBuf::from(REPORT)]).unwrap()
}

/// The incremental result must be exactly what a full build makes.
fn assert_same_as_full_build(site: &Path, out: &Path) {
    let full = site.join("full");
    insyn::build(site, &full, &options(site)).unwrap();
    let incremental = read_tree(out);
    let fresh = read_tree(&full);
    let differing: Vec<&String> = fresh
        .iter()
        .filter(|(path, bytes)| incremental.get(*path) != Some(bytes))
        .map(|(path, _)| path)
        .collect();
    assert!(
        differing.is_empty(),
        "differs from a full build: {differing:?}"
    );
    let extra: Vec<&String> = incremental
        .keys()
        .filter(|p| !fresh.contains_key(*p))
        .collect();
    assert!(extra.is_empty(), "left over: {extra:?}");
}

#[test]
fn a_text_edit_re_renders_that_page_only_and_matches_a_full_build() {
    let site = copy_site(&fixture("minimal"));
    let (mut live, out) = built(site.path());
    let home_before = std::fs::metadata(out.join("index.html")).unwrap();

    edit(
        site.path(),
        REPORT,
        "## Alfa",
        "## Alfa i fokus\n\nEn ny mening.",
    );
    let update = live.update(&[PathBuf::from(REPORT)]).unwrap();
    let Update::Rendered { sources, files } = update else {
        panic!("expected an incremental update, got {update:?}");
    };
    assert_eq!(sources, vec![PathBuf::from(REPORT)]);
    assert!(files >= 1, "{files}");
    let page = text(&out, "rapporter/2024-q3/index.html");
    assert!(page.contains("En ny mening."), "{page}");
    // Other pages were left alone (same file, not rewritten).
    let home_after = std::fs::metadata(out.join("index.html")).unwrap();
    assert_eq!(
        home_before.modified().unwrap(),
        home_after.modified().unwrap()
    );
    assert_same_as_full_build(site.path(), &out);
}

/// Every build checks the links an author wrote against the whole site;
/// an edit that can break one (a link added or changed, a heading another
/// page links to renamed) asks for a full build, which checks them, so the
/// preview never shows a link unchecked. A heading nobody links to is
/// renamed in place (the first test).
#[test]
fn an_edit_that_may_break_a_link_asks_for_a_full_build_that_checks_it() {
    let site = copy_site(&fixture("minimal"));
    let (mut live, _) = built(site.path());
    let link = "## Alfa\n\nSe [ingenting](/finns-inte/).";
    let update = update_report(&mut live, site.path(), "## Alfa", link);
    assert_eq!(update, Update::NeedsFullBuild);
    let full = insyn::build(
        site.path(),
        &site.path().join("full"),
        &options(site.path()),
    );
    let Err(insyn::BuildError::Invalid(problems)) = full else {
        panic!("the broken link was built: {full:?}");
    };
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].message.contains("broken link"), "{problems:?}");
    assert_eq!(problems[0].file, PathBuf::from(REPORT));

    let site = copy_site(&fixture("minimal"));
    edit(
        site.path(),
        "content/rapporter/2024-q2.md",
        " ärenden.",
        " ärenden. Se [alfa](/rapporter/2024-q3/#alfa).",
    );
    let (mut live, out) = built(site.path());
    // Text edited, links and headings as they were: this page alone.
    let update = update_report(
        &mut live,
        site.path(),
        "## Alfa",
        "## Alfa\n\nEn ny mening.",
    );
    assert!(matches!(update, Update::Rendered { .. }), "{update:?}");
    assert_same_as_full_build(site.path(), &out);
    // A link to an anchor the page lacks.
    let dangling = "[Upp](#ingenstans).";
    let update = update_report(&mut live, site.path(), "En ny mening.", dangling);
    assert_eq!(update, Update::NeedsFullBuild);
    // The heading the other report links to, renamed.
    edit(site.path(), REPORT, dangling, "[Upp](#alfa).");
    let (mut live, _) = built(site.path());
    let update = update_report(&mut live, site.path(), "## Alfa", "## Alfa i fokus");
    assert_eq!(update, Update::NeedsFullBuild);
}

#[test]
fn a_chart_added_or_removed_asks_for_a_full_build() {
    // A chart has its own page, which the sitemap lists.
    let site = copy_site(&fixture("minimal"));
    let (mut live, _) = built(site.path());
    edit(
        site.path(),
        REPORT,
        "## Alfa",
        "## Alfa\n\n```chart\ntype = \"series\"\nmeasures = [\"new_cases\"]\nunit = \"alfa\"\n```\n",
    );
    assert_eq!(
        live.update(&[PathBuf::from(REPORT)]).unwrap(),
        Update::NeedsFullBuild
    );

    let site = copy_site(&fixture("minimal"));
    let (mut live, _) = built(site.path());
    edit(
        site.path(),
        REPORT,
        "type = \"per_fte\"\nmeasure = \"cases_per_fte\"\nunit = \"beta\"",
        "type = \"per_fte\"\nmeasure = \"cases_per_fte\"\nunit = \"alfa\"",
    );
    assert_eq!(
        live.update(&[PathBuf::from(REPORT)]).unwrap(),
        Update::NeedsFullBuild
    );
}

#[test]
fn front_matter_data_and_new_files_ask_for_a_full_build() {
    let site = copy_site(&fixture("minimal"));
    let (mut live, _) = built(site.path());

    // A title appears in menus, lists and the neighbours' links.
    edit(
        site.path(),
        REPORT,
        "title = \"Rapport kvartal 3 2024\"",
        "title = \"Ny titel\"",
    );
    assert_eq!(
        live.update(&[PathBuf::from(REPORT)]).unwrap(),
        Update::NeedsFullBuild
    );

    let data = std::fs::read_dir(site.path().join("data"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "csv"))
        .unwrap();
    let data = data.strip_prefix(site.path()).unwrap().to_path_buf();
    assert_eq!(live.update(&[data]).unwrap(), Update::NeedsFullBuild);

    std::fs::write(
        site.path().join("content/ny.md"),
        "+++\ntitle = \"Ny\"\n+++\n\nText.\n",
    )
    .unwrap();
    assert_eq!(
        live.update(&[PathBuf::from("content/ny.md")]).unwrap(),
        Update::NeedsFullBuild
    );
    assert_eq!(
        live.update(&[PathBuf::from("site.toml")]).unwrap(),
        Update::NeedsFullBuild
    );
}

#[test]
fn a_broken_edit_is_reported_with_its_line_and_leaves_the_page() {
    let site = copy_site(&fixture("minimal"));
    let (mut live, out) = built(site.path());
    let before = text(&out, "rapporter/2024-q3/index.html");
    edit(
        site.path(),
        REPORT,
        "unit=\"alfa\", period=\"2024Q3\"",
        "unit=\"alfq\", period=\"2024Q3\"",
    );
    let err = live.update(&[PathBuf::from(REPORT)]).unwrap_err();
    let insyn::BuildError::Invalid(problems) = err else {
        panic!("{err}");
    };
    let plain: Vec<String> = problems.iter().map(|d| d.render_plain()).collect();
    assert!(
        plain
            .iter()
            .any(|p| p.contains("2024-q3.md") && p.contains("alfq")),
        "{plain:?}"
    );
    assert_eq!(text(&out, "rapporter/2024-q3/index.html"), before);
}
