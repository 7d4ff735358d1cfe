//! Editions and revisions: publish, change a past value, rebuild, and the
//! change is marked `r` and listed on the revisions page.

use crate::support::*;

#[test]
fn a_changed_past_value_is_marked_and_listed() {
    let site = copy_site(&fixture("minimal"));
    let out = site.path().join("public");
    let options = insyn::BuildOptions::default();
    let (_, edition) = insyn::publish(site.path(), &out, &options).unwrap();
    assert!(
        edition.ends_with("editions/2024Q3/data.csv"),
        "{}",
        edition.display()
    );
    // The next build with the same data names the edition and lists nothing.
    insyn::build(site.path(), &out, &options).unwrap();
    let revisions = text(&out, "revisions/index.html");
    assert!(
        revisions.contains("<strong>2024Q3</strong>"),
        "the edition is not named: {revisions}"
    );
    assert!(
        revisions.contains("Inga uppgifter har ändrats"),
        "{revisions}"
    );

    // Alfa's open cases in 2023Q2 change from 108 to 110.
    let cases = std::fs::read_to_string(site.path().join("data/cases.csv")).unwrap();
    let changed = cases.replace("2023Q2,alfa,open_cases,108,", "2023Q2,alfa,open_cases,110,");
    assert_ne!(cases, changed);
    std::fs::write(site.path().join("data/cases.csv"), changed).unwrap();
    insyn::build(site.path(), &out, &options).unwrap();

    let revisions = text(&out, "revisions/index.html");
    assert!(
        revisions.contains("<td>108</td><td>110</td>"),
        "{revisions}"
    );
    let csv = text(&out, "data/insyn-data.csv");
    assert!(
        csv.contains("2023Q2,alfa,Alfa,open_cases,,110,r\n"),
        "{csv}"
    );
    // Values that did not change are not marked.
    assert!(csv.contains("2023Q1,alfa,Alfa,open_cases,,100,\n"), "{csv}");
}

#[test]
fn publish_command_records_the_edition() {
    let site = copy_site(&fixture("minimal"));
    let o = insyn()
        .args(["publish", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("recorded the edition"),
        "{}",
        stderr(&o)
    );
    let edition = std::fs::read_to_string(site.path().join("editions/2024Q3/data.csv")).unwrap();
    assert!(edition.starts_with("period,unit,measure,group,value,status\n"));
    assert!(
        edition.contains("2024Q3,alfa,open_cases,,143,p\n"),
        "{edition}"
    );
    assert!(site.path().join("public/index.html").exists());
}
