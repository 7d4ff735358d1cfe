//! `insyn check`: every validation of a build, the internal link check and
//! the honesty warnings; writes nothing to the output.

use crate::support::*;

#[test]
fn a_broken_internal_link_is_an_error() {
    let site = copy_site(&fixture("minimal"));
    std::fs::write(
        site.path().join("content/om.md"),
        "+++\ntitle = \"Om\"\n+++\n\nSe [rapporterna](/rapporter/) och [ingenting](/finns-inte/) och [ankaret](/rapporter/2024-q3/#saknas).\n",
    )
    .unwrap();
    let o = check(site.path(), false);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    // Told where the author wrote it, with the address as written.
    assert!(
        err.contains("content/om.md:5:47: broken link: there is no `finns-inte/index.html`"),
        "{err}"
    );
    assert!(err.contains("found:    `/finns-inte/`"), "{err}");
    assert!(err.contains("content/om.md:5:75: broken link: `rapporter/2024-q3/index.html` has no anchor `#saknas`"), "{err}");
    assert!(
        err.contains("found:    `/rapporter/2024-q3/#saknas`"),
        "{err}"
    );
    assert!(
        !err.contains("rapporter/index.html` in the site"),
        "a good link was reported: {err}"
    );
    assert!(!site.path().join("public").exists(), "check wrote the site");
}

/// A build checks the links written in content files, as a check does,
/// and publishes nothing when one points nowhere (it had published them,
/// and only `check` failed). A link to an anchor of a generated page is
/// checked against that page's ids.
#[test]
fn a_build_refuses_a_broken_link_written_in_content_and_writes_nothing() {
    let site = copy_site(&fixture("minimal"));
    let om = site.path().join("content/om.md");
    std::fs::write(
        &om,
        "+++\ntitle = \"Om\"\n+++\n\nSe [data](/data/#excel), [rapporterna](../rapporter/) och [ingenting](/finns-inte/).\n\nOch [ankaret](/data/#saknas), en klass .x och ![bild](x).\n",
    )
    .unwrap();
    let out = site.path().join("public");
    let o = build(site.path(), &out);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("content/om.md:5:71: broken link: there is no `finns-inte/index.html`"),
        "{err}"
    );
    assert!(err.contains("found:    `/finns-inte/`"), "{err}");
    assert!(
        err.contains("content/om.md:7:15: broken link: `data/index.html` has no anchor `#saknas`"),
        "{err}"
    );
    // A short address is found where it is written, not inside `.x`.
    assert!(
        err.contains("content/om.md:7:55: broken link: there is no `om/x` in the site"),
        "{err}"
    );
    assert!(err.contains("3 error(s) found"), "only the three: {err}");
    assert!(!out.exists(), "a site with a broken link was written");

    std::fs::write(
        &om,
        "+++\ntitle = \"Om\"\n+++\n\nSe [data](/data/#excel) och [rapporterna](../rapporter/).\n",
    )
    .unwrap();
    let o = build(site.path(), &out);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.join("om/index.html").is_file());
}

/// Twenty thousand broken links in one file are all told, each at its
/// line, in about the time of a build: each had searched the file from the
/// top for its address, which took minutes.
#[test]
fn twenty_thousand_broken_links_are_told_at_their_lines() {
    let site = copy_site(&fixture("minimal"));
    let mut page = String::from("+++\ntitle = \"Länkar\"\n+++\n\n");
    for i in 0..20_000 {
        page.push_str(&format!("Se [sida {i}](/finns-inte-{i}/).\n\n"));
    }
    std::fs::write(site.path().join("content/lankar.md"), page).unwrap();
    let o = build(site.path(), &site.path().join("public"));
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{}", &err[..err.len().min(2000)]);
    assert!(
        err.contains("20,000 error(s) found"),
        "{}",
        &err[err.len().saturating_sub(2000)..]
    );
    assert!(
        err.contains("content/lankar.md:5:13: broken link: there is no `finns-inte-0/index.html`"),
        "{}",
        &err[..err.len().min(2000)]
    );
}

/// A check keeps the pages it makes in the build cache, as a build does,
/// instead of holding the whole site in memory (at ten thousand units that
/// was 11 GB), and its link check reads them back from there; a build
/// after it reuses its drawings. Where the cache cannot be written the site
/// is checked in memory, with the same findings.
#[test]
fn a_check_keeps_its_pages_in_the_build_cache_and_checks_them_there() {
    let site = copy_site(&fixture("minimal"));
    std::fs::write(
        site.path().join("content/om.md"),
        "+++\ntitle = \"Om\"\n+++\n\nSe [ingenting](/finns-inte/).\n",
    )
    .unwrap();
    let o = check(site.path(), false);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("content/om.md:5:16: broken link"), "{err}");
    let pages = std::fs::read_dir(site.path().join(".insyn-cache/page"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert!(pages > 10, "the check kept {pages} pages in the cache");
    let svgs = std::fs::read_dir(site.path().join(".insyn-cache/svg"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert!(svgs > 0, "the check kept no drawing");
    assert!(!site.path().join("public").exists(), "check wrote the site");

    // A cache folder that cannot be made (a file is in its way): the same
    // finding, from the site held in memory.
    std::fs::remove_dir_all(site.path().join(".insyn-cache")).unwrap();
    std::fs::write(site.path().join(".insyn-cache"), "not a folder").unwrap();
    let o = check(site.path(), false);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("content/om.md:5:16: broken link"), "{err}");

    // A check that stops at an error before anything is made leaves no
    // cache behind.
    let site = copy_site(&fixture("minimal"));
    let q2 = site.path().join("content/rapporter/2024-q2.md");
    let text = std::fs::read_to_string(&q2).unwrap();
    std::fs::write(&q2, text.replace("unit=\"beta\"", "unit=\"betta\"")).unwrap();
    let o = check(site.path(), false);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(!site.path().join(".insyn-cache").exists());
}

/// A percentage, or a number with a measure's name, typed by hand into a
/// page (its text, its title or its summary, a chart's title) does not
/// follow the data: not revised with it, none of its caveats. Every build
/// names each at its line and column, with the shortcode to use; `--strict`
/// refuses it. Code is code.
#[test]
fn a_figure_typed_by_hand_is_named_where_it_is_written() {
    let site = copy_site(&fixture("minimal"));
    let report = site.path().join("content/rapporter/2024-q3.md");
    let text = std::fs::read_to_string(&report).unwrap();
    let typed = text.replacen("title = \"", "title = \"Ärendena ökade 40 %: ", 1).replacen(
        "## Alfa",
        "## Alfa\n\nÄrendena ökade med 38 % sedan 2023 (`5 %` är kod). Alfa hade 1 234 aktuella ärenden.\n\n```\n7 % i ett kodblock\n```",
        1,
    ).replacen("type = \"per_fte\"\n", "type = \"per_fte\"\ntitle = \"Beta: +25 % per årsarbetare, med 9,5 Årsarbetare\"\n", 1);
    std::fs::write(&report, &typed).unwrap();
    let out = site.path().join("public");
    let o = build(site.path(), &out);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("warning: content/rapporter/2024-q3.md:2:25: a percentage typed by hand in the page's `title` does not follow the data\n  found:    `40 %`"),
        "{err}"
    );
    assert!(
        err.contains("warning: content/rapporter/2024-q3.md:12:20: a percentage typed by hand does not follow the data\n  found:    `38 %`"),
        "{err}"
    );
    // A chart's own title: the image would keep it.
    let title_line = typed
        .lines()
        .position(|l| l.starts_with("title = \"Beta"))
        .unwrap()
        + 1;
    assert!(
        err.contains(&format!("warning: content/rapporter/2024-q3.md:{title_line}:16: a percentage typed by hand in a chart's `title` does not follow the data\n  found:    `+25 %`")),
        "{err}"
    );
    // A number with a measure's name, in the text and in a chart's title.
    assert!(
        err.contains("warning: content/rapporter/2024-q3.md:12:62: a figure typed by hand does not follow the data\n  found:    `1 234 aktuella ärenden`"),
        "{err}"
    );
    assert!(
        err.contains("value(measure=\"open_cases\", unit=\"…\", period=\"…\")"),
        "{err}"
    );
    assert!(
        err.contains(&format!("warning: content/rapporter/2024-q3.md:{title_line}:43: a figure typed by hand in a chart's `title` does not follow the data\n  found:    `9,5 Årsarbetare`")),
        "{err}"
    );
    assert!(err.contains("{{ change("), "{err}");
    assert_eq!(
        err.matches("typed by hand").count(),
        5,
        "code is code: {err}"
    );
    let o = check(site.path(), true);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("typed by hand"), "{}", stderr(&o));
    // Written with the shortcode: nothing to say.
    std::fs::write(&report, &text).unwrap();
    let o = build(site.path(), &out);
    assert!(!stderr(&o).contains("typed by hand"), "{}", stderr(&o));
}

#[test]
fn honesty_warnings_and_strict_mode() {
    let site = copy_site(&fixture("minimal"));
    // A window that starts after the series break of 2024Q1 hides it.
    std::fs::write(
        site.path().join("content/rapporter/2024-q2.md"),
        "+++\ntitle = \"R\"\nperiod = \"2024Q2\"\ndate = 2024-07-20\n+++\n\n```chart\ntype = \"bars\"\nmeasure = \"open_cases\"\nunit = \"alfa\"\nfrom = \"2024Q2\"\n```\n",
    )
    .unwrap();
    let o = check(site.path(), false);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("after the series break of `open_cases` in 2024Q1"),
        "{err}"
    );
    assert!(
        err.contains("content/rapporter/2024-q2.md:1: the report states no limitations of its own"),
        "{err}"
    );
    let o = check(site.path(), true);
    assert_eq!(o.status.code(), Some(1), "--strict must fail on warnings");
}

#[test]
fn the_demo_site_checks_clean() {
    let o = check(&repo_root(), true);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}
