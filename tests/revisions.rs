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

/// A published value whose row is deleted from the data (by mistake, or
/// withdrawn) is listed as changed to "not available": the page had said
/// that nothing changed while the site no longer showed the value.
#[test]
fn a_published_value_gone_from_the_data_is_listed() {
    let site = copy_site(&fixture("minimal"));
    let out = site.path().join("public");
    let options = insyn::BuildOptions::default();
    insyn::publish(site.path(), &out, &options).unwrap();
    let cases = std::fs::read_to_string(site.path().join("data/cases.csv")).unwrap();
    let kept: String = cases
        .lines()
        .filter(|l| !l.starts_with("2024Q2,alfa,open_cases"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(kept, cases, "the fixture has the row");
    std::fs::write(site.path().join("data/cases.csv"), kept).unwrap();
    insyn::build(site.path(), &out, &options).unwrap();
    let revisions = text(&out, "revisions/index.html").replace('\u{a0}', " ");
    assert!(
        !revisions.contains("Inga uppgifter har ändrats"),
        "{revisions}"
    );
    let row = revisions
        .split("<tr>")
        .find(|row| row.contains("K2 2024") && row.contains("Alfa"))
        .unwrap_or_else(|| panic!("no row for Alfa, K2 2024: {revisions}"));
    assert!(row.contains("137") && row.contains(".."), "{row}");
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
    // The site it leaves to upload is the one a build of the same files
    // makes: its revisions page names the edition just published (it said
    // none had been).
    let published = read_tree(&site.path().join("public"));
    let revisions = String::from_utf8_lossy(&published["revisions/index.html"]).into_owned();
    assert!(revisions.contains("<strong>2024Q3</strong>"), "{revisions}");
    let out = tempfile::tempdir().unwrap();
    let o = build(site.path(), &out.path().join("public"));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        published == read_tree(&out.path().join("public")),
        "a later build differs"
    );
}

/// An edition published again on another day keeps its first date (cited
/// on its frozen pages) and says so; it had kept it without a word, while
/// the author asked for another. The same day again says nothing.
#[test]
fn an_edition_published_again_keeps_its_date_and_says_so() {
    let site = copy_site(&fixture("minimal"));
    let publish = |date: &str| {
        insyn()
            .args(["publish", "--date", date, "--root"])
            .arg(site.path())
            .output()
            .unwrap()
    };
    let o = publish("2024-10-21");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("published again"), "{}", stderr(&o));
    let o = publish("2024-10-21");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("published again"), "{}", stderr(&o));

    let o = publish("2024-11-05");
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("warning: editions/2024Q3/manifest.tsv: edition 2024Q3 was published on 2024-10-21: published again, it keeps that date and what it froze then, not 2024-11-05"),
        "{err}"
    );
    let manifest =
        std::fs::read_to_string(site.path().join("editions/2024Q3/manifest.tsv")).unwrap();
    assert!(manifest.contains("published\t2024-10-21\n"), "{manifest}");
    let chart = text(
        &site.path().join("public"),
        "charts/compare-new_cases/index.html",
    );
    assert!(chart.contains("Publicerad 21 oktober 2024"), "{chart}");
    assert!(!chart.contains("5 november 2024"), "the new date was cited");
}

/// A series break the published edition marked, gone from the data: the
/// chart now joins its line across it and no longer states it, a smoother
/// story than the one published. Every build says so (a check with
/// `--strict` refuses it), and so does the revisions page; an edition
/// recorded before breaks were kept says nothing.
#[test]
fn a_series_break_published_and_then_removed_is_named() {
    let site = copy_site(&fixture("minimal"));
    insyn::publish(
        site.path(),
        &site.path().join("public"),
        &Default::default(),
    )
    .unwrap();
    let breaks = std::fs::read_to_string(site.path().join("editions/2024Q3/breaks.csv")).unwrap();
    assert_eq!(breaks, "measure,period\nopen_cases,2024Q1\n");
    let measures = site.path().join("data/measures.toml");
    let original = std::fs::read_to_string(&measures).unwrap();
    let without = original.replace(
        "[[measures.open_cases.breaks]]\nperiod = \"2024Q1\"\nnote = { sv = \"Ny definition av aktuellt ärende\", en = \"New definition of an open case\" }\n",
        "",
    );
    assert_ne!(without, original);
    std::fs::write(&measures, &without).unwrap();

    let o = build(site.path(), &site.path().join("public"));
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("warning: data/measures.toml:1: the series break of `open_cases` at 2024Q1, marked in the published edition 2024Q3, is gone"),
        "{err}"
    );
    // And the reader is told, on the revisions page.
    let page = text(&site.path().join("public"), "revisions/index.html");
    assert!(page.contains("<h2>Borttagna serieavbrott</h2>"), "{page}");
    assert!(
        page.contains("<li>Aktuella ärenden: K1\u{a0}2024</li>"),
        "{page}"
    );
    let o = insyn()
        .args(["check", "--strict", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("the series break of `open_cases`"));

    // Moved to another quarter: the published one is gone.
    std::fs::write(
        &measures,
        original.replace("period = \"2024Q1\"", "period = \"2023Q4\""),
    )
    .unwrap();
    let o = build(site.path(), &site.path().join("public"));
    assert!(
        stderr(&o).contains("`open_cases` at 2024Q1"),
        "{}",
        stderr(&o)
    );
    // Kept: nothing said.
    std::fs::write(&measures, &original).unwrap();
    let o = build(site.path(), &site.path().join("public"));
    assert!(!stderr(&o).contains("series break"), "{}", stderr(&o));
    let page = text(&site.path().join("public"), "revisions/index.html");
    assert!(!page.contains("Borttagna serieavbrott"), "{page}");
    // A damaged file is an error at its line.
    let breaks = site.path().join("editions/2024Q3/breaks.csv");
    std::fs::write(&breaks, "measure,period\nopen_cases,snart\n").unwrap();
    let o = build(site.path(), &site.path().join("public"));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(
            "editions/2024Q3/breaks.csv:2: the edition file is damaged: unreadable period"
        ),
        "{}",
        stderr(&o)
    );
    // An edition recorded before breaks were kept: nothing to compare.
    std::fs::remove_file(&breaks).unwrap();
    std::fs::write(&measures, &without).unwrap();
    let o = build(site.path(), &site.path().join("public"));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("series break"), "{}", stderr(&o));
}

/// `insyn publish` stopped after it stored an edition's files but before
/// its data (written last): the edition was not published. Builds compare
/// with the edition before it, the archive does not list it, and a
/// publish run again records it whole; temporary files a kill left behind
/// are cleared.
#[test]
fn a_publish_stopped_before_its_last_write_published_nothing() {
    let site = copy_site(&fixture("minimal"));
    let out = site.path().join("public");
    let options = insyn::BuildOptions::default();
    insyn::publish(site.path(), &out, &options).unwrap();
    // A new quarter, and a past value revised.
    let cases = std::fs::read_to_string(site.path().join("data/cases.csv")).unwrap();
    let next = cases.replace("2023Q2,alfa,open_cases,108,", "2023Q2,alfa,open_cases,110,")
        + "2024Q4,alfa,open_cases,150,\n";
    std::fs::write(site.path().join("data/cases.csv"), next).unwrap();
    let (_, second) = insyn::publish(site.path(), &out, &options).unwrap();
    assert!(second.ends_with("editions/2024Q4/data.csv"));
    // As a kill just before the last write leaves it, with a temporary
    // file of that write.
    std::fs::remove_file(&second).unwrap();
    let stale = second.with_file_name(".data.csv.tmp-4242");
    std::fs::write(&stale, "period,unit").unwrap();
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&stale)
        .unwrap()
        .set_modified(hour_ago)
        .unwrap();

    insyn::build(site.path(), &out, &options).unwrap();
    let revisions = text(&out, "revisions/index.html");
    assert!(revisions.contains("<strong>2024Q3</strong>"), "{revisions}");
    assert!(
        revisions.contains("<td>108</td><td>110</td>"),
        "{revisions}"
    );
    assert!(
        !out.join("editions/2024q4").exists(),
        "an edition never published is not in the archive"
    );

    insyn::publish(site.path(), &out, &options).unwrap();
    assert!(second.is_file(), "published again, whole");
    assert!(!stale.exists(), "the kill's temporary file is cleared");
    insyn::build(site.path(), &out, &options).unwrap();
    let revisions = text(&out, "revisions/index.html");
    assert!(revisions.contains("<strong>2024Q4</strong>"), "{revisions}");
}

/// Two publishes of one site at once: the second waits for the first (it
/// recorded an edition whose date its own output did not cite).
#[test]
fn a_publish_waits_while_another_holds_the_editions() {
    let site = copy_site(&fixture("minimal"));
    let held = insyn::output::lock_editions(site.path()).unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("insyn"))
        .args(["-q", "publish", "--date", "2024-10-21", "--root"])
        .arg(site.path())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert!(child.try_wait().unwrap().is_none(), "it did not wait");
    assert!(!site.path().join("editions/2024Q3").exists());
    drop(held);
    assert!(child.wait().unwrap().success());
    assert!(site.path().join("editions/2024Q3/data.csv").exists());
}
