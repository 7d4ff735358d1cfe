//! The honesty contract where an author could still mislead (H5, H7, H8,
//! H10): windows, titles, figures and the limitations a page states. Built
//! on the `honesty` fixture: Nord's staffing falls over the full series but
//! rises from 2021Q4; open cases fall in 2021–2022 and rise after; open
//! cases change definition in 2022Q1 and staffing in 2023Q1; Syd misses
//! 2021Q2; the last quarter is provisional.

use std::path::Path;

use crate::support::*;

const REPORT: &str = "content/rapporter/2024-q4.md";

fn check(root: &Path) -> String {
    let o = insyn()
        .args(["check", "--root"])
        .arg(root)
        .output()
        .unwrap();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    err
}

/// The line of the `n`th chart fence (0-based) of the report.
fn chart_line(root: &Path, n: usize) -> usize {
    let text = std::fs::read_to_string(root.join(REPORT)).unwrap();
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.trim() == "```chart")
        .nth(n)
        .map(|(i, _)| i + 1)
        .unwrap()
}

/// The warnings about one chart block, located at it.
fn warnings_at(err: &str, root: &Path, n: usize) -> Vec<String> {
    let at = format!("{REPORT}:{}:", chart_line(root, n));
    err.lines()
        .filter(|l| l.contains(&at))
        .map(str::to_string)
        .collect()
}

/// A copy of the fixture with `text` added at the end of the report, and
/// the report's path.
fn with_report_text(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let site = copy_site(&fixture("honesty"));
    let report = site.path().join(REPORT);
    let mut md = std::fs::read_to_string(&report).unwrap();
    md.push_str(text);
    std::fs::write(&report, md).unwrap();
    (site, report)
}

/// A page or image as text, no-break spaces read as spaces.
fn plain(s: &str) -> String {
    s.replace('\u{a0}', " ")
}

fn built() -> (tempfile::TempDir, std::path::PathBuf) {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let o = build(&fixture("honesty"), &public);
    assert!(o.status.success(), "{}", stderr(&o));
    (out, public)
}

/// The words of an SVG as a reader sees them: its texts, wrapped lines
/// joined by a space.
fn svg_words(svg: &str) -> String {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every chart SVG whose words contain `needle`.
fn svgs_with(public: &Path, needle: &str) -> Vec<String> {
    read_tree(public)
        .into_iter()
        .filter(|(k, _)| k.ends_with("/chart.svg"))
        .map(|(_, v)| plain(&String::from_utf8(v).unwrap()))
        .filter(|s| svg_words(s).contains(needle))
        .collect()
}

#[test]
fn the_cherry_pick_guard_checks_every_drawn_series() {
    let root = fixture("honesty");
    let err = check(&root);
    // Open cases rise in the window and over the full series; staffing (the
    // second line) rises from 2021Q4 but fell over the full series.
    let at = warnings_at(&err, &root, 0);
    assert!(
        at.iter()
            .any(|l| l.contains("Årsarbetare ökar över det valda fönstret")
                && l.contains("men minskar över hela serien")),
        "{err}"
    );
    assert!(
        !at.iter().any(|l| l.contains("Aktuella ärenden ökar över")),
        "{err}"
    );
}

#[test]
fn a_window_that_ends_before_the_data_says_so_and_is_warned_about() {
    let root = fixture("honesty");
    let err = check(&root);
    let at = warnings_at(&err, &root, 1);
    assert!(
        at.iter()
            .any(|l| l.contains("the chart ends at 2022Q4, but the data continues to 2024Q4")),
        "{err}"
    );
    // Falling over the window, rising over the full series: a hidden rise.
    assert!(
        at.iter()
            .any(|l| l.contains("Aktuella ärenden minskar över det valda fönstret")),
        "{err}"
    );
    let (_out, public) = built();
    let svgs = svgs_with(
        &public,
        "men serien finns från K1 2020 och fortsätter till K4 2024",
    );
    assert_eq!(svgs.len(), 1, "the image does not say the series continues");
    assert!(svg_words(&svgs[0]).contains("Hela serien: https://h.example.org/charts/"));
    let report = plain(&text(&public, "rapporter/2024-q4/index.html"));
    assert!(report.contains("fortsätter till K4 2024"), "{report}");
}

/// A compare chart of an earlier quarter ranks the units as they stood
/// then: the author is warned, and the image says there are later data and
/// where the chart of the latest is.
#[test]
fn a_compare_chart_of_an_earlier_period_says_so_and_is_warned_about() {
    let (site, report) = with_report_text(
        "\n```chart\ntype = \"compare\"\nmeasure = \"open_cases\"\nunit = \"nord\"\nperiod = \"2022Q1\"\n```\n",
    );
    let err = check(site.path());
    let n = std::fs::read_to_string(&report)
        .unwrap()
        .lines()
        .filter(|l| l.trim() == "```chart")
        .count();
    let at = warnings_at(&err, site.path(), n - 1);
    assert!(
        at.iter().any(|l| l.contains(
            "the chart shows 2022Q1, but the data continues to 2024Q4: the units may stand otherwise now"
        )),
        "{err}"
    );
    assert!(err.contains("remove `period`"), "{err}");
    let public = site.path().join("public");
    let o = build(site.path(), &public);
    assert!(o.status.success(), "{}", stderr(&o));
    let svgs = svgs_with(
        &public,
        "Diagrammet visar K1 2022, men det finns uppgifter till K4 2024",
    );
    assert_eq!(svgs.len(), 1, "the image says there are later data");
    assert!(
        svg_words(&svgs[0])
            .contains("Senaste: https://h.example.org/charts/compare-open_cases-nord/"),
        "{}",
        svg_words(&svgs[0])
    );
}

/// A `change` in prose is held to the chart's rule (H7): Nord's staffing
/// rises from 2021Q4 but fell over the whole series, so a rise picked from
/// there is warned about, at the shortcode; the whole series is not.
#[test]
fn a_change_in_prose_that_the_whole_series_reverses_is_warned_about() {
    let line = std::fs::read_to_string(fixture("honesty").join(REPORT))
        .unwrap()
        .lines()
        .count()
        + 2;
    let (site, _) = with_report_text(
        "\nPersonalen: {{ change(measure=\"staff_fte\", unit=\"nord\", from=\"2021Q4\", to=\"2024Q4\") }}, över allt {{ change(measure=\"staff_fte\", unit=\"nord\", from=\"2020Q1\", to=\"2024Q4\") }}.\n",
    );
    let err = check(site.path());
    let warned: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("`change` gives"))
        .collect();
    assert_eq!(warned.len(), 1, "{err}");
    assert!(warned[0].contains(&format!("{REPORT}:{line}:13")), "{err}");
    assert!(
        warned[0].contains("from 2021Q4 to 2024Q4, but over the whole series, 2020Q1 to 2024Q4"),
        "{err}"
    );
}

#[test]
fn a_window_starting_at_a_break_is_warned_about() {
    let root = fixture("honesty");
    let err = check(&root);
    let at = warnings_at(&err, &root, 2);
    assert!(
        at.iter().any(|l| l.contains(
            "the chart starts at 2022Q1, at or after the series break of `open_cases` in 2022Q1"
        )),
        "{err}"
    );
    // A window that starts before the break shows it, and is not warned about.
    assert!(
        !warnings_at(&err, &root, 1)
            .iter()
            .any(|l| l.contains("series break")),
        "{err}"
    );
}

#[test]
fn a_change_of_a_percentage_is_in_percentage_points() {
    let (_out, public) = built();
    let report = text(&public, "rapporter/2024-q4/index.html");
    // 6,0 % → 9,0 % is +3,0 percentage points, not +50 %.
    let report = plain(&report);
    assert!(
        report.contains("<span class=\"figure\">+3,0 procentenheter</span>"),
        "{report}"
    );
    assert!(!report.contains("+50 %"), "{report}");
}

#[test]
fn a_ratio_change_across_a_break_in_its_denominator_is_marked() {
    let (_out, public) = built();
    let report = text(&public, "rapporter/2024-q4/index.html");
    let at = report
        .find("Ärenden per årsarbetare i Nord ändrades med")
        .unwrap();
    let sentence = &report[at..at + report[at..].find("</p>").unwrap()];
    assert!(
        sentence.contains("href=\"#lim-break-staff_fte-2023q1\""),
        "{sentence}"
    );
    assert!(report.contains("id=\"lim-break-staff_fte-2023q1\""));
}

#[test]
fn a_shortcode_in_the_front_matter_is_refused_with_its_line() {
    let site = copy_site(&fixture("honesty"));
    let path = site.path().join(REPORT);
    let text = std::fs::read_to_string(&path).unwrap().replace(
        "summary = \"Ärendena ökar i Nord.\"",
        "summary = \"Nord har {{ value(measure=\\\"open_cases\\\", unit=\\\"nord\\\", period=\\\"2024Q4\\\") }} ärenden.\"",
    );
    std::fs::write(&path, text).unwrap();
    let out = tempfile::tempdir().unwrap();
    let o = build(site.path(), &out.path().join("public"));
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "{REPORT}:5:21: a shortcode in the front matter is not evaluated"
        )),
        "{err}"
    );
}

#[test]
fn an_authors_title_leads_and_the_generated_statement_stays_visible() {
    let (_out, public) = built();
    let svgs = svgs_with(&public, "Personalen har ökat kraftigt");
    assert_eq!(svgs.len(), 1);
    let doc = roxmltree::Document::parse(&svgs[0]).unwrap();
    let texts = |class: &str| -> String {
        doc.descendants()
            .filter(|n| {
                n.has_tag_name("text")
                    && (n.attribute("class") == Some(class)
                        || n.parent().and_then(|p| p.attribute("class")) == Some(class))
            })
            .filter_map(|n| n.text())
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(texts("title"), "Personalen har ökat kraftigt");
    // What is measured, where, when, and the unit of the axis.
    let subtitle = texts("subtitle");
    assert!(
        subtitle.starts_with("Årsarbetare, Nord, K1 2020–K4 2024. Årsarbetare."),
        "{subtitle}"
    );
}

#[test]
fn each_limitation_is_stated_once_numbered_and_named_with_its_unit() {
    let (_out, public) = built();
    let report = plain(&text(&public, "rapporter/2024-q4/index.html"));
    // Five charts and a figure show provisional values; four show the
    // open-cases break: each is stated once.
    assert_eq!(report.matches("id=\"lim-provisional\"").count(), 1);
    assert_eq!(
        report.matches("id=\"lim-break-open_cases-2022q1\"").count(),
        1
    );
    let section = &report[report.find("id=\"begransningar\"").unwrap()..];
    let items = section.matches("<li id=\"lim-").count();
    let distinct: std::collections::BTreeSet<&str> = section
        .split("<li id=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    assert_eq!(items, distinct.len(), "{section}");
    assert!(section.contains("<ol start=\"1\">"), "{section}");
    // Missing periods name their unit.
    assert!(
        section.contains("Uppgift saknas för Syd, aktuella ärenden: K2 2021."),
        "{section}"
    );
    // A figure's mark and a chart's caption show the limitation's number.
    let number = section
        .split("<li id=\"")
        .skip(1)
        .position(|s| s.starts_with("lim-break-staff_fte-2023q1\""))
        .unwrap()
        + 1;
    assert!(
        report.contains(&format!(
            "<a href=\"#lim-break-staff_fte-2023q1\" title=\"tidsseriebrott\" aria-label=\"{number}: tidsseriebrott\">{number}</a>"
        )),
        "{report}"
    );
    assert!(
        report.contains("<span class=\"chart-limits\">Begränsningar: <a href=\"#lim-"),
        "{report}"
    );
}

/// The texts of one class in an SVG.
fn texts_of(svg: &str, class: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants()
        .filter(|n| {
            n.has_tag_name("text")
                && n.ancestors()
                    .find_map(|a| a.attribute("class"))
                    .is_some_and(|c| c.split(' ').any(|c| c == class))
        })
        .filter_map(|n| n.text().map(str::to_string))
        .collect()
}

#[test]
fn a_total_is_never_a_point_among_its_parts() {
    let (_out, public) = built();
    let tree = read_tree(&public);
    let svg = |prefix: &str| {
        let (_, v) = tree
            .iter()
            .find(|(k, _)| k.starts_with(prefix) && k.ends_with("/chart.svg"))
            .unwrap_or_else(|| panic!("no {prefix}"));
        plain(&String::from_utf8(v.clone()).unwrap())
    };
    // A count: the whole municipality is the sum of Nord and Syd, kept out
    // of the rows and named in the footer.
    let counts = svg("charts/compare-open_cases-nord-2024q4");
    let units = texts_of(&counts, "unit");
    assert_eq!(units, ["Syd", "Nord"], "{counts}");
    assert!(
        svg_words(&counts).contains("Hela kommunen (288 p) är summan av enheterna"),
        "{counts}"
    );
    // A ratio: the whole municipality is a labelled reference line.
    let ratio = svg("charts/compare-cases_per_fte-nord-2024q4");
    assert_eq!(texts_of(&ratio, "unit"), ["Syd", "Nord"], "{ratio}");
    assert!(ratio.contains("class=\"peer\""), "{ratio}");
    assert!(
        svg_words(&ratio).contains("Hela kommunen: 16,9 p"),
        "{ratio}"
    );
}

/// An author who names the total as a reference of a compare chart of a
/// count does not get it drawn across its parts (the axis stretched until
/// they look alike): it stays named under the chart, and check says why.
#[test]
fn a_total_named_as_a_reference_is_not_drawn_among_its_parts() {
    let (site, _) = with_report_text(
        "\n```chart\ntype = \"compare\"\nmeasure = \"open_cases\"\nunit = \"nord\"\nreference = \"hela\"\n```\n",
    );
    let err = check(site.path());
    assert!(
        err.contains("`reference = \"hela\"` is the sum of the units the chart compares"),
        "{err}"
    );
    assert!(err.contains("take it out of `reference`"), "{err}");
    let public = site.path().join("public");
    let o = build(site.path(), &public);
    assert!(o.status.success(), "{}", stderr(&o));
    let svg = read_tree(&public)
        .into_iter()
        .find(|(k, _)| {
            k.starts_with("charts/compare-open_cases-nord-ref-hela") && k.ends_with("/chart.svg")
        })
        .map(|(_, v)| plain(&String::from_utf8(v).unwrap()))
        .expect("the chart");
    assert!(
        !svg.contains("class=\"peer\""),
        "no line across the parts: {svg}"
    );
    assert!(
        svg_words(&svg).contains("Hela kommunen (288 p) är summan av enheterna"),
        "{svg}"
    );
}

#[test]
fn unit_pages_put_only_related_measures_on_one_axis() {
    let (_out, public) = built();
    let page = text(&public, "units/nord/index.html");
    // Sick leave and investigations in time are both percentages, but they
    // measure unrelated things: a chart each.
    assert!(page.contains("charts/series-sick_leave-nord/"), "{page}");
    assert!(page.contains("charts/series-in_time-nord/"), "{page}");
    assert!(!page.contains("series-in_time-sick_leave"), "{page}");
    assert!(!page.contains("series-sick_leave-in_time"), "{page}");
}

/// Every chart SVG of the built site, by path.
fn chart_svgs(public: &Path) -> Vec<(String, String)> {
    read_tree(public)
        .into_iter()
        .filter(|(k, _)| k.starts_with("charts/") && k.ends_with(".svg"))
        .map(|(k, v)| (k, String::from_utf8(v).unwrap()))
        .collect()
}

/// Item 5: a gap, a withheld value or a value that cannot be computed is
/// marked at the axis, in the band under the first grid line, never at a
/// height between its neighbours that would suggest a value (H3).
#[test]
fn marks_of_gaps_sit_at_the_axis_in_every_built_chart() {
    let (_out, public) = built();
    let mut marks = 0;
    for (path, svg) in chart_svgs(&public) {
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let num = |n: roxmltree::Node, a: &str| n.attribute(a).unwrap().parse::<f64>().unwrap();
        // The horizontal zero lines of the panels.
        let axes: Vec<f64> = doc
            .descendants()
            .filter(|n| {
                n.attribute("class") == Some("baseline") && n.attribute("y1") == n.attribute("y2")
            })
            .map(|n| num(n, "y1"))
            .collect();
        for n in doc.descendants().filter(|n| n.has_tag_name("text")) {
            let class = n
                .ancestors()
                .find_map(|a| a.attribute("class"))
                .unwrap_or("");
            if !["gap", "suppressed", "uncomputable"].contains(&class) || axes.is_empty() {
                continue;
            }
            marks += 1;
            let y = num(n, "y");
            let axis = axes
                .iter()
                .copied()
                .filter(|a| *a > y)
                .fold(f64::MAX, f64::min);
            assert!(
                axis - y <= 8.0 + 16.0 * 2.0,
                "{path}: `{}` at y {y}, the axis at {axis}",
                n.text().unwrap_or("")
            );
        }
    }
    assert!(marks > 0, "the fixture has gaps");
}

/// Item 9: every line, bar and marker colour in the built charts has at
/// least 3:1 contrast against the chart's own white background, which the
/// image draws itself, so dark mode changes nothing (WCAG 1.4.11).
#[test]
fn every_drawn_colour_has_three_to_one_contrast_in_every_built_chart() {
    fn luminance(hex: &str) -> f64 {
        let c = |i: usize| {
            let v = u8::from_str_radix(&hex[i..i + 2], 16).unwrap() as f64 / 255.0;
            if v <= 0.039_28 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * c(1) + 0.7152 * c(3) + 0.0722 * c(5)
    }
    let (_out, public) = built();
    let mut seen = std::collections::BTreeSet::new();
    for (path, svg) in chart_svgs(&public) {
        assert!(
            svg.contains("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>"),
            "{path} draws its own white background"
        );
        let doc = roxmltree::Document::parse(&svg).unwrap();
        for n in doc.descendants().filter(|n| {
            n.attribute("class").is_some_and(|c| {
                c.split(' ')
                    .any(|c| ["series", "markers", "bars"].contains(&c))
            })
        }) {
            let stroke = n.attribute("stroke").unwrap();
            let ratio = 1.05 / (luminance(stroke) + 0.05);
            assert!(ratio >= 3.0, "{path}: {stroke} has {ratio:.2}:1");
            seen.insert(stroke.to_string());
        }
    }
    assert!(seen.len() >= 2, "{seen:?}");
}

/// A copy of the fixture whose theme `kommun` has every default template,
/// then `changes` applied to its files: (file name, text to remove).
fn with_theme(changes: &[(&str, &str)]) -> tempfile::TempDir {
    let site = copy_site(&fixture("honesty"));
    let toml = std::fs::read_to_string(site.path().join("site.toml")).unwrap();
    std::fs::write(
        site.path().join("site.toml"),
        format!("theme = \"kommun\"\n{toml}"),
    )
    .unwrap();
    let own = site.path().join("themes/kommun/templates");
    std::fs::create_dir_all(&own).unwrap();
    for entry in std::fs::read_dir(repo_root().join("themes/default/templates")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), own.join(entry.file_name())).unwrap();
    }
    for (file, remove) in changes {
        let text = std::fs::read_to_string(own.join(file)).unwrap();
        assert!(text.contains(remove), "{file} has no {remove:?}");
        std::fs::write(own.join(file), text.replace(remove, "")).unwrap();
    }
    site
}

#[test]
fn a_theme_may_restyle_pages_but_not_leave_their_limitations_out() {
    // A theme with every template of the default one builds: the rule
    // asks for what the default theme shows, on every kind of page.
    let out = tempfile::tempdir().unwrap();
    let site = with_theme(&[]);
    let o = build(site.path(), &out.path().join("public"));
    assert!(o.status.success(), "{}", stderr(&o));
    for (changes, expected) in [
        (
            vec![("report.html", "{{ m::limitations(lims=limitations, t=t) }}")],
            "themes/kommun/templates/report.html: the theme leaves a limitation out of the page made from `report.html`",
        ),
        // An empty macro leaves every page that uses it without them.
        (
            vec![(
                "macros.html",
                "{% for l in lims.author %}<li id=\"{{ l.id }}\">{{ l.text }}</li>\n{% endfor %}",
            )],
            // Named by the page's template, which calls the macro.
            "themes/kommun/templates/report.html: the theme leaves a limitation out",
        ),
        // (A chart page states its limitations twice, in the list and in
        // the table's notes; an embed only once.)
        (
            vec![(
                "embed.html",
                "{% for l in embed.limitations %}<li>{{ l }}</li>{% endfor %}",
            )],
            "themes/kommun/templates/embed.html: the theme leaves a limitation out",
        ),
    ] {
        let site = with_theme(&changes);
        let public = out.path().join("refused");
        let o = build(site.path(), &public);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(err.contains(expected), "expected {expected:?} in:\n{err}");
        assert!(!public.exists(), "nothing is written");
    }
}
