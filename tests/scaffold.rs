//! `insyn init` and `insyn new report`.

use crate::support::*;

#[test]
fn init_writes_a_site_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("ny-webbplats");
    let o = insyn().arg("init").arg(&site).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    for f in [
        "site.toml",
        "data/units.toml",
        "data/measures.toml",
        "content/_index.md",
        "content/rapporter/_index.md",
    ] {
        assert!(site.join(f).is_file(), "{f}");
    }
    let public = dir.path().join("public");
    let o = build(&site, &public);
    assert!(o.status.success(), "{}", stderr(&o));
    let home = text(&public, "index.html");
    assert!(
        home.contains("<span class=\"figure\">160</span>"),
        "the value shortcode"
    );
    assert!(
        home.contains("<svg") || home.contains("charts/"),
        "the growth chart"
    );
    assert!(
        !home.contains("__insyn"),
        "no reload script in a published build"
    );
    assert!(public.join("rapporter/2025-q4/index.html").is_file());

    // A site with no warnings either.
    let o = insyn()
        .args(["check", "--strict", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    let o = insyn().arg("init").arg(dir.path()).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is not empty"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "nothing was written"
    );
}

#[test]
fn new_report_fills_in_the_headline_charts_and_figures() {
    let site = copy_site(&fixture("minimal"));
    let o = insyn()
        .args(["new", "report", "2024 Q1", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let report = std::fs::read_to_string(site.path().join("content/rapporter/2024-q1.md")).unwrap();
    assert!(report.contains("period = \"2024Q1\""));
    assert!(report.contains("## Det viktigaste i korthet"));
    assert!(report.contains("## Ärenden och bemanning"));
    assert!(report.contains("limitations = ["));
    for unit in ["alfa", "beta"] {
        assert!(report.contains(&format!("type = \"growth\"\ncaseload = \"open_cases\"\nstaffing = \"staff_fte\"\nunit = \"{unit}\"")), "{report}");
        assert!(report.contains(&format!(
            "{{{{ value(measure=\"open_cases\", unit=\"{unit}\", period=\"2024Q1\") }}}}"
        )));
        assert!(report.contains(&format!("{{{{ change(measure=\"open_cases\", unit=\"{unit}\", from=\"2023Q1\", to=\"2024Q1\") }}}}")));
    }
    // The small unit (under min_unit_fte) is never given a chart of its own.
    assert!(!report.contains("unit = \"liten\""));

    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let o = build(site.path(), &public);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(public.join("rapporter/2024-q1/index.html").is_file());

    // Never overwrites; refuses a period the data does not have.
    let again = insyn()
        .args(["new", "report", "2024Q1", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("already exists"));
    let later = insyn()
        .args(["new", "report", "2031Q2", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    assert_eq!(later.status.code(), Some(2));
    assert!(
        stderr(&later).contains("no data for 2031Q2"),
        "{}",
        stderr(&later)
    );
    assert!(!site.path().join("content/rapporter/2031-q2.md").exists());
}
