use crate::common::*;
use insta::assert_snapshot;
use insyn::cache::BuildCache;
use insyn::chart::{Chart, ChartSpec, cached_png, rasterize_png};
use insyn::data::{Status, Value};
use insyn::text::Lang;

const GROWTH: &str = r#"
type = "growth"
caseload = "open_cases"
staffing = "staff_fte"
unit = "nordost"
"#;

/// The class of an element: its own, or else that of the nearest group
/// that carries it for all its members.
fn class_of<'a>(n: roxmltree::Node<'a, '_>) -> &'a str {
    n.ancestors()
        .take_while(|a| a.is_element() && !a.has_tag_name("svg"))
        .find_map(|a| a.attribute("class"))
        .unwrap_or("")
}

/// The `<text>` elements whose class is `class`.
fn texts_of<'a, 'i>(
    doc: &'a roxmltree::Document<'i>,
    class: &'a str,
) -> impl Iterator<Item = roxmltree::Node<'a, 'i>> {
    doc.descendants()
        .filter(move |n| n.has_tag_name("text") && class_of(*n) == class)
}

fn texts(svg: &str) -> Vec<(String, String)> {
    let doc = roxmltree::Document::parse(svg).expect("well-formed SVG");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| (class_of(n).to_string(), n.text().unwrap_or("").to_string()))
        .collect()
}

fn every_chart_type() -> Vec<(&'static str, Chart)> {
    vec![
        ("growth", chart(GROWTH)),
        (
            "per_fte",
            chart("type = \"per_fte\"\nmeasure = \"cases_per_fte\"\nunit = \"nordost\""),
        ),
        (
            "series",
            chart(
                "type = \"series\"\nmeasures = [\"open_cases\", \"staff_fte\"]\nunit = \"nordost\"\nfrom = \"2022Q1\"",
            ),
        ),
        (
            "bars",
            chart(
                "type = \"bars\"\nmeasure = \"open_cases\"\nunit = \"sydvast\"\nfrom = \"2023Q1\"",
            ),
        ),
        (
            "compare",
            chart("type = \"compare\"\nmeasure = \"cases_per_fte\"\nunit = \"nordost\""),
        ),
        (
            "workload",
            chart(
                "type = \"workload\"\nworkload = \"workload_points\"\ncapacity = \"capacity_points\"\nunit = \"nordost\"",
            ),
        ),
    ]
}

#[test]
fn snapshots_of_each_chart_type() {
    for (name, c) in every_chart_type() {
        assert_snapshot!(format!("type_{name}"), c.svg());
    }
}

#[test]
fn snapshot_gap_break_provisional() {
    let mut data = dataset();
    remove(&mut data, "open_cases", "nordost", q(2023, 2));
    add_break(&mut data, "open_cases", q(2022, 1));
    provisional(&mut data, "open_cases", "nordost", q(2024, 3));
    provisional(&mut data, "staff_fte", "nordost", q(2024, 3));
    let c = chart_in(GROWTH, &data, Lang::Sv);
    assert_snapshot!("situation_gap_break_provisional", c.svg());
    let svg = c.svg();
    let t = texts(&svg);
    assert!(t.iter().any(|(c, s)| c == "break-marker" && s == "A"));
    assert!(t.iter().any(|(c, _)| c == "provisional-label"));
    assert!(svg.contains("class=\"break\""));
    assert!(svg.contains("class=\"series provisional\""));
    let lim = c.limitations().join("\n");
    assert!(lim.contains("Serieavbrott (A) K1\u{a0}2022"), "{lim}");
    assert!(
        lim.contains("Indexet korsar en definitionsändring"),
        "{lim}"
    );
    assert!(
        lim.contains("Uppgift saknas för Nordost: K2\u{a0}2023"),
        "{lim}"
    );
    assert!(lim.contains("Preliminärt: K3\u{a0}2024"), "{lim}");
    assert!(lim.contains("Ett ärende räknas per barn"), "{lim}");
    // The gap is in the CSV as not available, never interpolated.
    assert!(c.csv().contains("2023Q2,nordost,open_cases,,..\n"));
    assert!(c.csv().contains("2024Q3,nordost,open_cases,402,p\n"));
}

#[test]
fn snapshot_suppressed_and_zero_staffing() {
    let mut data = dataset();
    set(
        &mut data,
        "open_cases",
        "lillby",
        q(2023, 1),
        Value::final_(3.0),
    );
    set(
        &mut data,
        "staff_fte",
        "lillby",
        q(2023, 3),
        Value::final_(0.0),
    );
    let spec =
        "type = \"per_fte\"\nmeasure = \"cases_per_fte\"\nunit = \"lillby\"\nfrom = \"2022Q1\"";
    let c = chart_in(spec, &data, Lang::Sv);
    assert_snapshot!("situation_suppressed_zero_staffing", c.svg());
    let lim = c.limitations().join("\n");
    assert!(lim.contains("Antal under 5 visas som <5"), "{lim}");
    assert!(lim.contains("nämnaren är noll"), "{lim}");
    assert!(c.csv().contains("2023Q3,lillby,cases_per_fte,,.\n"));
    assert!(c.csv().contains("2023Q3,lillby,staff_fte,0,\n"));
}

#[test]
fn consecutive_suppressed_quarters_are_named_as_one_span() {
    let mut data = dataset();
    for quarter in [q(2023, 1), q(2023, 2), q(2023, 3), q(2024, 1)] {
        set(
            &mut data,
            "open_cases",
            "lillby",
            quarter,
            Value::final_(3.0),
        );
    }
    let spec = "type = \"bars\"\nmeasure = \"open_cases\"\nunit = \"lillby\"\nfrom = \"2022Q1\"";
    let lim = chart_in(spec, &data, Lang::Sv)
        .limitations()
        .join("\n")
        .replace('\u{a0}', " ");
    assert!(
        lim.contains("K1 2023–K3 2023 (aktuella ärenden); K1 2024 (aktuella ärenden)"),
        "{lim}"
    );
}

#[test]
fn suppressed_value_appears_nowhere() {
    let mut data = dataset();
    set(
        &mut data,
        "open_cases",
        "lillby",
        q(2023, 1),
        Value::final_(3.0),
    );
    for spec in [
        "type = \"bars\"\nmeasure = \"open_cases\"\nunit = \"lillby\"\nfrom = \"2022Q1\"",
        "type = \"per_fte\"\nmeasure = \"cases_per_fte\"\nunit = \"lillby\"\nfrom = \"2022Q1\"",
        "type = \"series\"\nmeasures = [\"open_cases\"]\nunit = \"lillby\"\nfrom = \"2022Q1\"",
    ] {
        for lang in [Lang::Sv, Lang::En] {
            let c = chart_in(spec, &data, lang);
            let svg = c.svg();
            let t = texts(&svg);
            // Axis ticks are not data; every other text is.
            assert!(t.iter().all(|(c, s)| c == "ytick" || s != "3"), "{spec}");
            // The ratio 3 / 3.5 = 0.9 would disclose it too.
            for (_, s) in t.iter().filter(|(c, _)| c != "ytick") {
                assert!(!s.contains("0,9") && !s.contains("0.9"), "{s}");
            }
            assert!(
                t.iter()
                    .any(|(c, s)| c == "suppressed" && (s == "<5" || s == "x"))
            );
            for line in c
                .csv()
                .lines()
                .filter(|l| l.starts_with("2023Q1,") && !l.contains("staff_fte"))
            {
                let f: Vec<&str> = line.split(',').collect();
                assert_eq!(f[3], "", "{line}");
                assert!(f[4] == "<5" || f[4] == "x", "{line}");
            }
            let table = c.table();
            let row = table.rows.iter().find(|r| r.0.contains("2023")).unwrap();
            assert!(row.1.iter().all(|v| v != "3" && !v.contains("1,2")));
            let row = &table
                .rows
                .iter()
                .find(|r| r.0 == format_q1_2023(lang))
                .unwrap()
                .1;
            assert!(row.contains(&"<5".to_string()) || row.contains(&"x".to_string()));
            let d = c.description();
            assert!(
                !d.contains(" 3 kvartal")
                    && !d.contains(" 3 in ")
                    && !d.contains("1,2")
                    && !d.contains("1.2"),
                "{d}"
            );
        }
    }
}

fn format_q1_2023(lang: Lang) -> String {
    insyn::format::period_short(q(2023, 1), lang)
}

#[test]
fn svg_is_accessible_and_carries_its_caveats() {
    for (name, c) in every_chart_type() {
        let svg = c.svg();
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let root = doc.root_element();
        assert_eq!(root.attribute("role"), Some("img"), "{name}");
        assert!(root.attribute("viewBox").is_some());
        let ids = root.attribute("aria-labelledby").unwrap();
        let children: Vec<_> = root.children().filter(|n| n.is_element()).collect();
        assert!(children[0].has_tag_name("title"), "{name}");
        assert!(children[1].has_tag_name("desc"), "{name}");
        for (child, id) in children.iter().zip(ids.split(' ')) {
            assert_eq!(child.attribute("id"), Some(id));
        }
        assert_eq!(children[0].text(), Some(c.title()));
        assert_eq!(children[1].text().unwrap(), c.description());
        let all: String = texts(&svg)
            .into_iter()
            .map(|t| t.1)
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            all.contains("Verksamhetssystemet, uttag per kvartalets sista dag"),
            "{name}"
        );
        assert!(all.contains("Källa:"));
        assert!(all.contains("Data uttagen 5 oktober 2024"), "{name}");
        // The address may wrap over lines, but only at its own `/`, `-` or `_`.
        let address: String = texts(&svg)
            .into_iter()
            .filter(|t| t.0 == "permalink")
            .map(|t| t.1)
            .collect();
        assert!(
            address.ends_with(&format!("https://insyn.example.org/{}", c.path())),
            "{name}: {address}"
        );
        assert!(all.contains("K3\u{a0}2024") || all.contains("2024"));
        // The unit names are escaped, not injected.
        assert!(!svg.contains("<Hamnen>"));
    }
    let compare = &every_chart_type()[4].1;
    assert!(compare.svg().contains("Centrum &amp; &lt;Hamnen&gt;"));
}

#[test]
fn count_axes_start_at_zero() {
    for (name, c) in every_chart_type() {
        let svg = c.svg();
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let baseline = doc
            .descendants()
            .find(|n| n.attribute("class") == Some("baseline"))
            .unwrap_or_else(|| panic!("{name}: no baseline"));
        if name == "compare" {
            let x0: f64 = baseline.attribute("x1").unwrap().parse().unwrap();
            let zero = texts_of(&doc, "xtick").next().unwrap();
            assert_eq!(zero.text(), Some("0"));
            let zx: f64 = zero.attribute("x").unwrap().parse().unwrap();
            assert!((zx - x0).abs() < 0.5);
            continue;
        }
        let ticks: Vec<(f64, String)> = texts_of(&doc, "ytick")
            .map(|n| {
                (
                    n.attribute("y").unwrap().parse::<f64>().unwrap(),
                    n.text().unwrap().to_string(),
                )
            })
            .collect();
        // Every panel's baseline carries the tick 0, and no tick lies below it.
        for baseline in doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("baseline"))
        {
            let base_y: f64 = baseline.attribute("y1").unwrap().parse().unwrap();
            let at_base: Vec<_> = ticks
                .iter()
                .filter(|t| (t.0 - 4.5 - base_y).abs() < 0.5)
                .collect();
            assert_eq!(at_base.len(), 1, "{name}");
            assert_eq!(at_base[0].1, "0", "{name}");
        }
        let lowest = ticks.iter().max_by(|a, b| a.0.total_cmp(&b.0)).unwrap();
        assert_eq!(lowest.1, "0", "{name}");
    }
}

#[test]
fn growth_description_in_both_languages() {
    let spec = format!("{GROWTH}from = \"2021Q1\"");
    let sv = chart_in(&spec, &dataset(), Lang::Sv)
        .description()
        .to_string();
    assert!(
        sv.starts_with("Aktuella ärenden ökade med 34\u{a0}% från kvartal 1 2021 till kvartal 3 2024 och årsarbetare med 3\u{a0}%."),
        "{sv}"
    );
    assert!(
        sv.contains(
            "Kvartal 1 2021 hade Nordost 300 aktuella ärenden och 12,0 årsarbetare; kvartal 3 2024 var det 402 aktuella ärenden och 12,4 årsarbetare."
        ),
        "{sv}"
    );
    let en = chart_in(&spec, &dataset(), Lang::En)
        .description()
        .to_string();
    assert!(
        en.starts_with("Open cases rose by 34% from Q1 2021 to Q3 2024 and staff FTE by 3%."),
        "{en}"
    );
    // Figures before nouns, as a native writer puts them.
    assert!(
        en.contains("In Q1 2021, Nordost had 300 open cases and 12.0 staff FTE; in Q3 2024, it had 402 open cases and 12.4 staff FTE."),
        "{en}"
    );
}

#[test]
fn other_descriptions() {
    let c = chart(
        "type = \"per_fte\"\nmeasure = \"cases_per_fte\"\nunit = \"nordost\"\nfrom = \"2021Q1\"",
    );
    assert_eq!(
        c.description(),
        "Ärenden per årsarbetare i Nordost låg på 25,0 kvartal 1 2021 och 32,5 kvartal 3 2024, en ökning med 30\u{a0}%."
    );
    let c = chart_in(
        "type = \"compare\"\nmeasure = \"open_cases\"\nunit = \"nordost\"\nperiod = \"2019Q1\"",
        &dataset(),
        Lang::En,
    );
    assert_eq!(
        c.description(),
        "Open cases in Q1 2019 for 3 units, in alphabetical order: Centrum & <Hamnen> 150; Nordost 280; Sydväst 210. Nordost is highlighted."
    );
}

#[test]
fn slug_path_permalink_and_titles() {
    let c = chart(&format!("{GROWTH}from = \"2019Q1\"\nto = \"2024-Q3\""));
    assert_eq!(
        c.slug(),
        "growth-open_cases-staff_fte-nordost-2019q1-2024q3"
    );
    assert_eq!(
        c.path(),
        "charts/growth-open_cases-staff_fte-nordost-2019q1-2024q3/"
    );
    assert_eq!(
        c.permalink(),
        "https://insyn.example.org/charts/growth-open_cases-staff_fte-nordost-2019q1-2024q3/"
    );
    assert_eq!(
        c.title(),
        "Aktuella ärenden och årsarbetare, Nordost, K1\u{a0}2019–K3\u{a0}2024"
    );
    assert_eq!(c.measures(), vec!["open_cases", "staff_fte"]);
    assert_eq!(c.units(), vec!["nordost"]);
    assert!(c.full_series().is_none());
    // A chart pinned to its end keeps naming it; it can always go on to the
    // same chart following the latest data.
    assert!(!c.follows_latest());
    assert_eq!(c.latest_slug(), "growth-open_cases-staff_fte-nordost");
    assert_eq!(
        c.latest_chart().map(|l| l.slug()),
        Some("growth-open_cases-staff_fte-nordost")
    );
    let cmp = chart("type = \"compare\"\nmeasure = \"open_cases\"\nunit = \"nordost\"");
    // Following the latest data: no period in the address, so it survives
    // every new quarter.
    assert_eq!(cmp.slug(), "compare-open_cases-nordost");
    assert!(cmp.follows_latest());
    assert!(cmp.latest_chart().is_none());
    let pinned = chart(
        "type = \"compare\"\nmeasure = \"open_cases\"\nunit = \"nordost\"\nperiod = \"2024Q2\"",
    );
    assert_eq!(pinned.slug(), "compare-open_cases-nordost-2024q2");
    // Lillby is too small to be published on its own.
    assert_eq!(cmp.units(), vec!["centrum", "nordost", "sydvast"]);
    assert!(cmp.limitations().iter().any(|l| l.contains("för små")));
}

#[test]
fn later_start_links_the_full_series_and_warns_on_opposite_trends() {
    let mut data = dataset();
    // Sydväst falls overall, but rises over the last four quarters.
    for (i, p) in q(2023, 4).range_to(q(2024, 3)).enumerate() {
        set(
            &mut data,
            "open_cases",
            "sydvast",
            p,
            Value::final_(190.0 + 5.0 * i as f64),
        );
    }
    let c = chart_in(
        "type = \"bars\"\nmeasure = \"open_cases\"\nunit = \"sydvast\"\nfrom = \"2023Q4\"",
        &data,
        Lang::Sv,
    );
    let full = c.full_series().expect("full series");
    assert_eq!(full.slug(), "bars-open_cases-sydvast");
    // The window follows the latest data too: it names its start only.
    assert_eq!(c.slug(), "bars-open_cases-sydvast-from-2023q4");
    assert!(
        c.limitations()
            .iter()
            .any(|l| l.contains(&full.permalink()))
    );
    let w = c
        .honesty_warnings()
        .iter()
        .find(|w| w.contains("över det valda fönstret"))
        .expect("warning");
    assert!(w.contains("ökar över det valda fönstret"), "{w}");
    assert!(w.contains("minskar över hela serien"), "{w}");
    // The same direction: no warning.
    let c = chart(&format!("{GROWTH}from = \"2021Q1\""));
    assert!(c.full_series().is_some());
    assert!(
        c.honesty_warnings().is_empty(),
        "{:?}",
        c.honesty_warnings()
    );
}

#[test]
fn table_and_csv_show_what_is_drawn() {
    let mut data = dataset();
    provisional(&mut data, "open_cases", "nordost", q(2024, 3));
    let c = chart_in(
        "type = \"series\"\nmeasures = [\"open_cases\"]\nunit = \"nordost\"\nfrom = \"2024Q2\"",
        &data,
        Lang::Sv,
    );
    let t = c.table();
    assert_eq!(t.headers, vec!["Kvartal", "Aktuella ärenden"]);
    assert_eq!(
        t.rows,
        vec![
            ("K2\u{a0}2024".to_string(), vec!["395".to_string()]),
            ("K3\u{a0}2024".to_string(), vec!["402 p".to_string()]),
        ]
    );
    assert!(t.notes.iter().any(|n| n == "p = preliminärt värde"));
    assert_eq!(
        c.csv(),
        "period,unit,measure,value,status\n2024Q2,nordost,open_cases,395,\n2024Q3,nordost,open_cases,402,p\n"
    );
}

#[test]
fn parse_reports_every_problem_with_offsets() {
    let text = "type = \"grwth\"\nunit = \"nordost\"\ncolour = \"red\"\nfrom = \"2021Q5\"\n";
    let problems = ChartSpec::parse(text).unwrap_err();
    let msgs: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
    assert!(msgs.contains(&"unknown chart type `grwth`"), "{msgs:?}");
    let t = problems
        .iter()
        .find(|p| p.message.contains("grwth"))
        .unwrap();
    assert_eq!(t.help.as_deref(), Some("did you mean `growth`?"));
    assert!(t.expected.as_deref().unwrap().contains("`per_fte`"));
    assert_eq!(t.offset, Some(7));
    let k = problems
        .iter()
        .find(|p| p.message.contains("colour"))
        .unwrap();
    assert_eq!(k.offset, text.find("colour"));
    assert!(
        problems
            .iter()
            .any(|p| p.message == "`from` is not a period")
    );

    let p = ChartSpec::parse("type = \"growth\"\nunit = \"nordost\"").unwrap_err();
    assert!(
        p.iter()
            .any(|p| p.message == "a `growth` chart needs `caseload`")
    );
    let p = ChartSpec::parse("type = = 1").unwrap_err();
    assert!(p[0].message.starts_with("invalid TOML"));
    let p = ChartSpec::parse("type = \"bars\"\nmeasure = \"a\"\nunit = \"b\"\ncaseload = \"c\"")
        .unwrap_err();
    assert_eq!(p[0].message, "`caseload` is not used by a `bars` chart");
    // Every spelling of a period.
    let s =
        ChartSpec::parse("type = \"bars\"\nmeasure = \"a\"\nunit = \"b\"\nfrom = \"kv 1 2021\"")
            .unwrap();
    assert_eq!(s.from, Some(q(2021, 1)));
}

#[test]
fn validate_against_the_data() {
    let data = dataset();
    let text = "type = \"per_fte\"\nmeasure = \"open_cases\"\nunit = \"nordst\"\nfrom = \"2024Q3\"\nto = \"2021Q1\"";
    let spec = ChartSpec::parse(text).unwrap();
    let problems = spec.validate(&data);
    let unit = problems
        .iter()
        .find(|p| p.message == "unknown unit `nordst`")
        .unwrap();
    assert_eq!(unit.help.as_deref(), Some("did you mean `nordost`?"));
    assert_eq!(unit.offset, text.find("\"nordst\""));
    assert!(problems.iter().any(|p| {
        p.message
            .contains("cannot be the `measure` of a `per_fte` chart")
    }));
    assert!(problems.iter().any(|p| p.message == "`from` is after `to`"));

    let spec = ChartSpec::parse(
        "type = \"bars\"\nmeasure = \"open_case\"\nunit = \"nordost\"\nfrom = \"2030Q1\"",
    )
    .unwrap();
    let problems = spec.validate(&data);
    assert!(
        problems
            .iter()
            .any(|p| p.help.as_deref() == Some("did you mean `open_cases`?"))
    );
    let spec = ChartSpec::parse(
        "type = \"bars\"\nmeasure = \"open_cases\"\nunit = \"nordost\"\nfrom = \"2030Q1\"",
    )
    .unwrap();
    let problems = spec.validate(&data);
    assert_eq!(problems[0].message, "`from` is outside the data");
    let spec = ChartSpec::parse(
        "type = \"bars\"\nmeasure = \"open_cases\"\nunit = \"nordost\"\nfrom = \"2020\"",
    )
    .unwrap();
    assert_eq!(
        spec.validate(&data)[0].message,
        "`from` is the wrong kind of period"
    );
}

#[test]
fn deterministic_svg() {
    for (_, c) in every_chart_type() {
        assert_eq!(c.svg(), c.svg());
    }
    assert_eq!(chart(GROWTH).svg(), chart(GROWTH).svg());
}

#[test]
fn english_chart_texts() {
    let c = chart_in(GROWTH, &dataset(), Lang::En);
    let all = texts(&c.svg())
        .into_iter()
        .map(|t| t.1)
        .collect::<Vec<_>>()
        .join(" ");
    assert!(all.contains("Source:"));
    assert!(all.contains("Data extracted 5 October 2024"));
    assert!(all.contains("Index, Q1\u{a0}2019 = 100"));
}

#[test]
fn png_has_its_signature_and_is_cached() {
    let c = chart(GROWTH);
    let svg = c.svg();
    let png = rasterize_png(&svg).unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    assert!(png.len() > 20_000, "{}", png.len());
    let dir = tempfile::tempdir().unwrap();
    let a = cached_png(&svg, &BuildCache::new(dir.path())).unwrap();
    assert_eq!(&*a.read().unwrap(), &png[..]);
    let files: Vec<_> = std::fs::read_dir(dir.path().join("png-svg"))
        .unwrap()
        .collect();
    assert_eq!(files.len(), 1);
    let path = files[0].as_ref().unwrap().path();
    // A hit is taken from the cache: overwrite the file with a marker PNG.
    let marker = b"\x89PNG\r\n\x1a\nmarker".to_vec();
    std::fs::write(&path, &marker).unwrap();
    let hit = cached_png(&svg, &BuildCache::new(dir.path())).unwrap();
    assert_eq!(&*hit.read().unwrap(), &marker[..]);
    let _ = Status::Final;
}

/// The charts the site generates (unit, measure and home pages, the report
/// scaffold) build their specs as values: each is the chart its block text
/// is, with the same address, drawing and CSV.
#[test]
fn a_spec_built_as_a_value_is_the_chart_its_block_is() {
    use insyn::chart::{Bars, Compare, Growth, PerFte, PerFteOf, Series, Workload};
    let data = dataset();
    let unit = || "nordost".to_string();
    let specs = [
        (
            "type = \"growth\"\ncaseload = \"open_cases\"\nstaffing = \"staff_fte\"\nunit = \"nordost\"\nto = \"2024Q2\"",
            ChartSpec::new(Growth {
                unit: unit(),
                caseload: "open_cases".into(),
                staffing: "staff_fte".into(),
                base: None,
            })
            .to(q(2024, 2)),
        ),
        (
            "type = \"per_fte\"\nmeasure = \"cases_per_fte\"\nunit = \"nordost\"",
            ChartSpec::new(PerFte {
                unit: unit(),
                of: PerFteOf::Ratio("cases_per_fte".into()),
            }),
        ),
        (
            "type = \"bars\"\nmeasure = \"open_cases\"\nunit = \"nordost\"",
            ChartSpec::new(Bars {
                unit: unit(),
                measure: "open_cases".into(),
            }),
        ),
        (
            "type = \"series\"\nmeasures = [\"open_cases\", \"staff_fte\"]\nunit = \"nordost\"",
            ChartSpec::new(Series {
                unit: unit(),
                measures: vec!["open_cases".into(), "staff_fte".into()],
                reference: Vec::new(),
            }),
        ),
        (
            "type = \"compare\"\nmeasure = \"cases_per_fte\"",
            ChartSpec::new(Compare {
                measure: "cases_per_fte".into(),
                unit: None,
                period: None,
                reference: Vec::new(),
            }),
        ),
        (
            "type = \"workload\"\nworkload = \"workload_points\"\ncapacity = \"capacity_points\"\nunit = \"nordost\"",
            ChartSpec::new(Workload {
                unit: unit(),
                workload: Some("workload_points".into()),
                capacity: Some("capacity_points".into()),
            }),
        ),
    ];
    for (text, spec) in specs {
        assert!(spec.validate(&data).is_empty(), "{text}");
        let by_value = resolve_in(&spec, &data, Lang::Sv).unwrap();
        let by_text = chart(text);
        assert_eq!(by_value.slug(), by_text.slug(), "{text}");
        assert_eq!(by_value.svg(), by_text.svg(), "{text}");
        assert_eq!(by_value.csv(), by_text.csv(), "{text}");
        // What the scaffold writes for the user reads back as the same chart.
        assert_eq!(chart(&spec.to_toml()).svg(), by_text.svg(), "{text}");
    }
}

/// A `workload` chart that leaves its measures to their roles, where no
/// single measure has the role, is refused with the problem validation
/// names rather than drawn without them.
#[test]
fn a_workload_chart_the_data_cannot_complete_does_not_resolve() {
    use insyn::chart::Workload;
    let mut data = dataset();
    data.measures
        .measures
        .retain(|_, m| m.role != insyn::data::Role::Workload);
    let spec = ChartSpec::new(Workload {
        unit: "nordost".into(),
        workload: None,
        capacity: None,
    });
    let problems = resolve_in(&spec, &data, Lang::Sv).unwrap_err();
    assert!(
        problems
            .iter()
            .any(|p| p.message == "a `workload` chart needs `workload`"),
        "{problems:?}"
    );
    assert_eq!(spec.validate(&data)[0].message, problems[0].message);
}
