//! Disclosure control for the whole publication (H9), tried as a reader
//! with a calculator would: the fixture site `disclosure` holds every case
//! in which a site built from realistic data gave a hidden number away.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use crate::support::*;

/// (unit, measure, group, period) → the published number, or `None` where
/// the row is there without one (`<5`, `x`).
type Published = BTreeMap<(String, String, String, String), Option<f64>>;

/// The fixture, built once for every test that only reads the output.
fn built() -> &'static (tempfile::TempDir, tempfile::TempDir, std::process::Output) {
    static BUILT: OnceLock<(tempfile::TempDir, tempfile::TempDir, std::process::Output)> =
        OnceLock::new();
    BUILT.get_or_init(|| {
        let site = copy_site(&fixture("disclosure"));
        let out = tempfile::tempdir().unwrap();
        let o = build(site.path(), out.path());
        assert!(o.status.success(), "{}", stderr(&o));
        (site, out, o)
    })
}

fn published(out: &Path) -> Published {
    let text = text(out, "data/insyn-data.csv");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut map = Published::new();
    for r in reader.records() {
        let r = r.unwrap();
        let value = (!r[5].is_empty()).then(|| r[5].parse::<f64>().unwrap());
        map.insert((r[1].into(), r[3].into(), r[4].into(), r[0].into()), value);
    }
    map
}

fn get(p: &Published, unit: &str, measure: &str, group: &str, period: &str) -> Option<Option<f64>> {
    p.get(&(unit.into(), measure.into(), group.into(), period.into()))
        .copied()
}

const PERIODS: [&str; 8] = [
    "2023Q1", "2023Q2", "2023Q3", "2023Q4", "2024Q1", "2024Q2", "2024Q3", "2024Q4",
];

/// The sums of the fixture that a reader knows from the unit list: total
/// unit → its parts.
fn sums() -> Vec<(&'static str, Vec<&'static str>)> {
    vec![
        (
            "hela",
            vec!["stor", "liten", "vux1", "vux2", "vux3", "ek1", "ek2", "ek3"],
        ),
        ("barn-total", vec!["stor", "liten"]),
        ("vuxen-total", vec!["vux1", "vux2", "vux3"]),
        ("ek-total", vec!["ek1", "ek2", "ek3"]),
    ]
}

/// A sum whose terms are all published but one (a unit left out of the
/// download counts as unknown) gives that one away.
fn single_unknowns(p: &Published) -> Vec<String> {
    let mut found = Vec::new();
    for measure in ["open_cases", "new_cases", "staff_fte", "consultant_fte"] {
        for period in PERIODS {
            for (total, parts) in sums() {
                let cells: Vec<Option<f64>> = std::iter::once(total)
                    .chain(parts.iter().copied())
                    .map(|u| get(p, u, measure, "", period).flatten())
                    .collect();
                if cells.iter().filter(|c| c.is_none()).count() == 1 {
                    found.push(format!("{measure} {period}: {total} = {parts:?}"));
                }
            }
            let groups = ["", "flickor", "pojkar"]
                .iter()
                .map(|g| get(p, "vux1", measure, g, period))
                .collect::<Vec<_>>();
            if groups.iter().all(Option::is_some)
                && groups.iter().filter(|c| c.flatten().is_none()).count() == 1
            {
                found.push(format!("{measure} {period}: vux1 = flickor + pojkar"));
            }
        }
    }
    found
}

#[test]
fn no_sum_in_the_download_gives_a_hidden_value_away() {
    let (_site, out, o) = built();
    let p = published(out.path());
    let found = single_unknowns(&p);
    assert!(found.is_empty(), "derivable: {found:#?}");
    assert!(
        stderr(o).contains("secondary suppressions") && stderr(o).contains("; 0 derivable"),
        "{}",
        stderr(o)
    );
}

#[test]
fn an_area_total_minus_the_other_unit_does_not_give_the_small_unit() {
    let (_site, out, _) = built();
    let p = published(out.path());
    for period in PERIODS {
        assert_eq!(get(&p, "liten", "open_cases", "", period), None);
        for m in ["open_cases", "staff_fte"] {
            let total = get(&p, "barn-total", m, "", period).flatten();
            let other = get(&p, "stor", m, "", period).flatten();
            assert!(
                total.is_none() || other.is_none(),
                "{m} {period}: {total:?} − {other:?} is the small unit"
            );
        }
    }
}

#[test]
fn a_total_minus_its_published_parts_does_not_give_a_small_count() {
    let (_site, out, _) = built();
    let p = published(out.path());
    assert_eq!(
        get(&p, "vux3", "open_cases", "", "2024Q4"),
        Some(None),
        "<5"
    );
    let cells: Vec<Option<f64>> = ["vuxen-total", "vux1", "vux2"]
        .iter()
        .map(|u| get(&p, u, "open_cases", "", "2024Q4").flatten())
        .collect();
    assert!(cells.contains(&None), "152 − 100 − 49 = 3: {cells:?}");
}

#[test]
fn a_total_minus_one_group_does_not_give_the_other_group() {
    let (_site, out, _) = built();
    let p = published(out.path());
    for period in PERIODS {
        assert_eq!(
            get(&p, "vux1", "new_cases", "pojkar", period),
            Some(None),
            "{period}"
        );
        let total = get(&p, "vux1", "new_cases", "", period).flatten();
        let girls = get(&p, "vux1", "new_cases", "flickor", period).flatten();
        assert!(total.is_none() || girls.is_none(), "{period}: 60 − 58 = 2");
    }
}

#[test]
fn smallness_is_judged_on_the_staffing_the_ratio_divides_by() {
    // 1 case-holding FTE + 2 consultants: one caseworker's caseload.
    let (_site, out, _) = built();
    let p = published(out.path());
    for period in PERIODS {
        assert_eq!(get(&p, "ek1", "cases_per_fte", "", period), None);
        assert_eq!(get(&p, "ek1", "open_cases", "", period), None);
    }
    assert!(!out.path().join("units/ek1/index.html").exists());
}

#[test]
fn the_one_person_years_of_a_unit_that_grew_are_not_published() {
    let (_site, out, _) = built();
    let p = published(out.path());
    for period in &PERIODS[..7] {
        for m in ["open_cases", "staff_fte", "cases_per_fte"] {
            assert_eq!(
                get(&p, "ek2", m, "", period),
                Some(None),
                "{m} {period} of a 1.0 FTE unit"
            );
        }
    }
    assert_eq!(
        get(&p, "ek2", "cases_per_fte", "", "2024Q4"),
        Some(Some(6.0))
    );
    assert!(out.path().join("units/ek2/index.html").exists());
    // The chart of the same series says why, and draws no number.
    let csv = chart_csvs(out.path(), "ek2");
    assert!(!csv.is_empty());
    for text in csv {
        for row in text
            .lines()
            .filter(|r| PERIODS[..7].iter().any(|p| r.starts_with(p)))
        {
            let fields: Vec<&str> = row.split(',').collect();
            assert_eq!(fields[3], "", "a one-person quarter drawn: {row}");
        }
    }
}

/// A `per_fte` chart may divide by any staffing measure, not only one a
/// declared ratio names: caseload over the one consultant of a unit that is
/// not small is still one person's caseload, and is withheld like a
/// declared ratio on staffing under `min_unit_fte`.
#[test]
fn a_chart_dividing_by_one_consultant_withholds_the_ratio() {
    let site = copy_site(&fixture("disclosure"));
    let cases = site.path().join("data/cases.csv");
    let csv = std::fs::read_to_string(&cases).unwrap();
    let csv = csv
        .replace(
            "2024Q3,vux1,consultant_fte,0.0,",
            "2024Q3,vux1,consultant_fte,1.0,",
        )
        .replace(
            "2024Q4,vux1,consultant_fte,0.0,",
            "2024Q4,vux1,consultant_fte,4.0,",
        );
    std::fs::write(&cases, csv).unwrap();
    let report = site.path().join("content/rapporter/2024-q4.md");
    let mut md = std::fs::read_to_string(&report).unwrap();
    md.push_str(
        "\n```chart\ntype = \"per_fte\"\ncaseload = \"open_cases\"\nstaffing = \"consultant_fte\"\nunit = \"vux1\"\n```\n",
    );
    std::fs::write(&report, md).unwrap();
    let out = tempfile::tempdir().unwrap();
    let o = build(site.path(), out.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let data = text(
        out.path(),
        "charts/per_fte-open_cases-consultant_fte-vux1/data.csv",
    );
    let ratio = |period: &str| {
        data.lines()
            .find(|r| r.starts_with(period) && r.contains("open_cases_per_consultant_fte"))
            .unwrap_or_else(|| panic!("no ratio row for {period} in\n{data}"))
            .to_string()
    };
    // period,unit,measure,value,status
    let one = ratio("2024Q3");
    let fields: Vec<&str> = one.split(',').collect();
    assert_eq!((fields[3], fields[4]), ("", "x"), "1.0 FTE: {one}");
    let four = ratio("2024Q4");
    assert!(
        !four.split(',').nth(3).unwrap().is_empty(),
        "4.0 FTE: {four}"
    );
    let page = text(
        out.path(),
        "charts/per_fte-open_cases-consultant_fte-vux1/index.html",
    );
    // The ratio is written with a decimal (`100,0`); the caseload as a
    // count (`100`) stays, as on every page.
    assert!(
        !page.contains("100,0"),
        "the caseload over 1.0 FTE is not printed"
    );
    assert!(page.contains("25,0"), "over 4.0 FTE it is");
}

#[test]
fn an_inline_value_of_a_ratio_on_one_fte_is_withheld() {
    let (_site, out, _) = built();
    let home = text(out.path(), "index.html");
    let para = home
        .split("Ek två hade")
        .nth(1)
        .and_then(|s| s.split("ärenden per årsarbetare").next())
        .unwrap();
    assert!(!para.contains("30"), "{para}");
    assert!(para.contains('x'), "{para}");
    assert!(
        home.contains("dolt: enheten hade för få årsarbetare"),
        "the reason is given"
    );
}

#[test]
fn secondary_suppressions_are_explained_in_plain_words() {
    let (_site, out, _) = built();
    let page = text(out.path(), "units/vux2/index.html");
    assert!(
        page.contains("dolt för att skydda ett annat värde"),
        "{page}"
    );
}

#[test]
fn the_audit_fails_the_build_without_secondary_suppression() {
    let site = copy_site(&fixture("disclosure"));
    let options = insyn::BuildOptions {
        mode: insyn::BuildMode::Check,
        ..Default::default()
    };
    let Err(problems) = insyn::site::Site::load_with_secondary(site.path(), &options, false) else {
        panic!("the audit let it through");
    };
    let text: Vec<String> = problems.iter().map(|d| d.to_string()).collect();
    let text = text.join("\n");
    assert!(text.contains("disclosure audit"), "{text}");
    assert!(
        text.contains("`open_cases` for unit `vux3`") && text.contains("2024Q4"),
        "{text}"
    );
    assert!(text.contains("vuxen-total"), "names the sum: {text}");
}

#[test]
fn unsafe_privacy_settings_are_warnings_naming_the_line_and_errors_when_strict() {
    let site = copy_site(&fixture("disclosure"));
    let toml = std::fs::read_to_string(site.path().join("site.toml"))
        .unwrap()
        .replace("suppress_below = 5", "suppress_below = 1")
        .replace("min_unit_fte = 3.0", "min_unit_fte = 0");
    std::fs::write(site.path().join("site.toml"), toml).unwrap();
    let run = |strict: bool| {
        let mut cmd = insyn();
        cmd.args(["check", "--root"]).arg(site.path());
        if strict {
            cmd.arg("--strict");
        }
        cmd.output().unwrap()
    };
    let o = run(false);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("site.toml:6"), "{err}");
    assert!(err.contains("suppress_below = 1"), "{err}");
    assert!(err.contains("site.toml:7"), "{err}");
    assert!(err.contains("one caseworker"), "{err}");
    assert!(err.contains("0 derivable"), "{err}");
    assert_eq!(run(true).status.code(), Some(1));
}

/// The CSV downloads of every chart about `unit`.
fn chart_csvs(out: &Path, unit: &str) -> Vec<String> {
    read_tree(out)
        .into_iter()
        // The tidy CSVs: the Excel-ready copies beside them hold the same
        // values in another spelling (checked by the downloads tests).
        .filter(|(path, _)| path.ends_with("/data.csv") && path.contains(unit))
        .map(|(_, bytes)| String::from_utf8_lossy(&bytes).into_owned())
        .collect()
}

/// The pages of a site rendered in memory (no PNGs), by path.
fn rendered_pages(root: &Path) -> BTreeMap<String, String> {
    let options = insyn::BuildOptions {
        mode: insyn::BuildMode::Check,
        ..Default::default()
    };
    let site = insyn::site::Site::load(root, &options)
        .unwrap_or_else(|e| panic!("{}", e.iter().map(|d| d.to_string()).collect::<String>()));
    let rendered = site.render(&options).unwrap_or_else(|e| panic!("{e:?}"));
    rendered
        .files
        .into_iter()
        .filter_map(|(path, body)| match body {
            insyn::output::FileBody::Bytes(b)
                if path.ends_with(".html") || path.ends_with(".csv") =>
            {
                Some((path, String::from_utf8(b).unwrap()))
            }
            _ => None,
        })
        .collect()
}

/// The old and new value of a unit's open cases in K4 2024 on the
/// revisions page.
fn revision_row(page: &str, unit: &str) -> (String, String) {
    let row = page
        .lines()
        .find(|l| {
            l.contains("<th scope=\"row\">Aktuella ärenden</th>")
                && l.contains(&format!("<td>{unit}</td><td>K4"))
        })
        .unwrap_or_else(|| panic!("no revision of {unit}: {page}"));
    let cells: Vec<&str> = row
        .split("<td>")
        .skip(1)
        .map(|c| c.split("</td>").next().unwrap())
        .collect();
    (cells[2].to_string(), cells[3].to_string())
}

/// The revisions page lists old and new values, and the earlier edition is
/// public: an old value that edition withheld must stay withheld, and a new
/// value withheld now must not be shown through its old one.
#[test]
fn the_revisions_page_reveals_nothing_either_edition_withheld() {
    let site = copy_site(&fixture("disclosure"));
    let root = site.path();
    insyn::record_edition(root).unwrap();
    // In K4 2024, the edition published Vuxen ett (100) and withheld Vuxen
    // tre (3, `<5`) and Vuxen två (49, to protect it). Now Vuxen tre is 6
    // and Vuxen två 50, so both are shown, and Vuxen ett is 4, withheld.
    let path = root.join("data/cases.csv");
    let cases = std::fs::read_to_string(&path).unwrap();
    let changed = cases
        .replace("2024Q4,vux1,open_cases,100,", "2024Q4,vux1,open_cases,4,")
        .replace("2024Q4,vux2,open_cases,49,", "2024Q4,vux2,open_cases,50,")
        .replace("2024Q4,vux3,open_cases,3,", "2024Q4,vux3,open_cases,6,");
    std::fs::write(&path, changed).unwrap();
    let pages = rendered_pages(root);
    let page = &pages["revisions/index.html"];

    // 152 − 100 − 49 = 3: the old 49 is not given.
    let (old, new) = revision_row(page, "Vuxen två");
    assert_eq!(old, "x", "the edition withheld 49 to protect 3");
    assert_ne!(new, "49");
    let (old, _) = revision_row(page, "Vuxen tre");
    assert!(["x", "&lt;5"].contains(&old.as_str()), "{old}");
    // A value withheld now is withheld in both columns: the old one and the
    // change would give it away.
    let (old, new) = revision_row(page, "Vuxen ett");
    assert_eq!((old.as_str(), new.as_str()), ("&lt;5", "&lt;5"));
    assert!(!page.contains("<td>100</td>"), "{page}");
    assert!(!page.contains("<td>49</td>"), "{page}");
}

/// A figure for the whole (a county beside all its municipalities, England
/// beside every council) is a sum the units list does not declare: minus
/// the published units, it gives the one that is not published.
#[test]
fn a_whole_site_figure_minus_the_published_units_does_not_give_the_small_one() {
    let site = copy_site(&fixture("disclosure-whole"));
    let pages = rendered_pages(site.path());
    let mut reader = csv::Reader::from_reader(pages["data/insyn-data.csv"].as_bytes());
    let mut p = Published::new();
    for r in reader.records() {
        let r = r.unwrap();
        let value = (!r[5].is_empty()).then(|| r[5].parse::<f64>().unwrap());
        p.insert((r[1].into(), r[3].into(), r[4].into(), r[0].into()), value);
    }
    for period in PERIODS {
        assert_eq!(get(&p, "lillby", "open_cases", "", period), None);
        for m in ["open_cases", "staff_fte"] {
            let cells: Vec<Option<f64>> = ["lanet", "storby", "mellanby", "lillby"]
                .iter()
                .map(|u| get(&p, u, m, "", period).flatten())
                .collect();
            let unknown = cells.iter().filter(|c| c.is_none()).count();
            assert_ne!(
                unknown, 1,
                "{m} {period}: Länet − the rest = Lillby: {cells:?}"
            );
        }
    }
    // The audit knows the sum: without secondary suppression it fails.
    let options = insyn::BuildOptions {
        mode: insyn::BuildMode::Check,
        ..Default::default()
    };
    let Err(problems) = insyn::site::Site::load_with_secondary(site.path(), &options, false) else {
        panic!("the audit let it through");
    };
    let text: String = problems.iter().map(|d| d.to_string()).collect();
    assert!(
        text.contains("`lanet` = the sum of every other unit at the top level"),
        "{text}"
    );
}

/// A page that types a number the published figures withhold gives it
/// away as surely as a chart would: Vuxen tre's 3 open cases (`<5`), Vuxen
/// två's 49 (hidden to protect them), in the text, the page's title or a
/// chart's title, are errors at their line and column, naming the value
/// they are. A typed figure that is published stays a warning.
#[test]
fn a_page_that_types_a_withheld_number_does_not_build() {
    let site = copy_site(&fixture("disclosure"));
    let report = site.path().join("content/rapporter/2024-q4.md");
    let text = std::fs::read_to_string(&report).unwrap();
    let typed =
        text.replacen(
            "title = \"Rapport kvartal 4 2024\"",
            "title = \"Vuxen två: 49 aktuella ärenden\"",
            1,
        )
        .replacen(
            "type = \"growth\"\n",
            "type = \"growth\"\ntitle = \"Bara 3 Aktuella ärenden\"\n",
            1,
        ) + "\nVuxen tre hade 3 aktuella ärenden vid årets slut.\n";
    std::fs::write(&report, &typed).unwrap();
    let out = tempfile::tempdir().unwrap();
    let o = build(site.path(), out.path());
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        !out.path().join("index.html").exists(),
        "nothing is written"
    );
    let text_line = typed.lines().count();
    assert!(
        err.contains(&format!("error: content/rapporter/2024-q4.md:{text_line}:16: a figure typed by hand is a number the published figures withhold\n  found:    `3 aktuella ärenden`")),
        "{err}"
    );
    assert!(
        err.contains("this is the value of `vux3` in 2024Q4"),
        "{err}"
    );
    let o = check(site.path(), false);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    let chart_title_line = typed
        .lines()
        .position(|l| l.starts_with("title = \"Bara"))
        .unwrap()
        + 1;
    for (line, column, found) in [
        (2, 21, "49 aktuella ärenden"),
        (chart_title_line, 15, "3 Aktuella ärenden"),
    ] {
        assert!(
            err.contains(&format!("error: content/rapporter/2024-q4.md:{line}:{column}: a figure typed by hand is a number the published figures withhold\n  found:    `{found}`")),
            "{line}:{column}: {err}"
        );
    }
    assert!(err.contains("`vux2` in 2024Q4"), "{err}");

    // The published total of the area (152) is a figure typed by hand, no
    // more: a warning, and the site builds.
    let published = text + "\nVuxen hade 152 aktuella ärenden vid årets slut.\n";
    std::fs::write(&report, &published).unwrap();
    let o = build(site.path(), out.path());
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("warning: content/rapporter/2024-q4.md:")
            && err.contains("a figure typed by hand does not follow the data\n  found:    `152 aktuella ärenden`"),
        "{err}"
    );
}
