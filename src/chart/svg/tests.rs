//! The SVG writer and the page layouts, on charts built by hand.

use super::place::{Rect, text_box};
use super::*;
use crate::chart::model::{Cell, CompareRow, Line, Panel};
use crate::data::{MeasureUnit, Period, Status};
use crate::text::Lang;

/// A one-line chart over `n` quarters; the last value provisional.
pub(crate) fn chart(chart_type: ChartType, n: usize, bars: bool) -> Chart {
    let periods: Vec<Period> = (0..n)
        .map(|i| Period::quarter(2016 + (i / 4) as i32, (i % 4) as u8 + 1))
        .collect();
    let cells = (0..n)
        .map(|i| {
            let status = if i + 1 == n {
                Status::Provisional
            } else {
                Status::Final
            };
            Cell::Num(100.0 + (i % 7) as f64 * 3.0, status)
        })
        .collect();
    Chart {
        chart_type,
        lang: Lang::En,
        slug: "test".into(),
        home: "charts/test/".into(),
        permalink: "https://example.org/charts/test/".into(),
        latest_slug: "test".into(),
        title: "Open cases, Test, Q1 2016–Q4 2025".into(),
        subtitle: "Number.".into(),
        periods,
        lines: vec![Line {
            measure: "open_cases".into(),
            csv_measure: "open_cases".into(),
            unit: "test".into(),
            label: "Open cases".into(),
            header: "Open cases".into(),
            format_unit: MeasureUnit::Count,
            axis_unit: MeasureUnit::Count,
            cells,
            plotted: true,
            breaks: Vec::new(),
        }],
        panels: vec![Panel {
            axis_label: "Number".into(),
            lines: vec![0],
            reference: None,
            bars,
        }],
        compare: ["Ada", "Bo", "Cy"]
            .iter()
            .enumerate()
            .map(|(i, name)| CompareRow {
                unit: name.to_lowercase(),
                name: name.to_string(),
                cell: Cell::Num(10.0 * (i + 1) as f64, Status::Final),
                highlighted: i == 1,
                table_only: false,
            })
            .collect(),
        compare_refs: Vec::new(),
        compare_unit: MeasureUnit::Count,
        breaks: Vec::new(),
        limitations: vec!["Provisional: Q4 2025.".into(), "Counted per child.".into()],
        notes: Vec::new(),
        source_line: "Source: Test.".into(),
        description: "Open cases rose.".into(),
        full: None,
        warnings: Vec::new(),
        origin: None,
        latest: None,
        measures: vec!["open_cases".into()],
        units: vec!["test".into()],
        svg_cache: Default::default(),
        svg_narrow_cache: Default::default(),
        sizes: Default::default(),
        drawings: None,
        fingerprint: Default::default(),
        table: Default::default(),
    }
}

fn count(svg: &str, needle: &str) -> usize {
    svg.matches(needle).count()
}

#[test]
fn coordinates_are_tenths_without_a_trailing_zero() {
    let s = |v: f64| coord(v).to_string();
    assert_eq!(s(16.0), "16");
    assert_eq!(s(16.04), "16");
    assert_eq!(s(16.05), "16.1");
    assert_eq!(s(336.94), "336.9");
    assert_eq!(s(0.04), "0");
    assert_eq!(s(-0.04), "0");
    assert_eq!(s(-4.0), "-4");
    assert_eq!(s(-0.36), "-0.4");
    // Ties round as `{:.1}` does, so nothing moves.
    for v in [57.25, 57.75, 0.05, 0.15, 1.45, 2.675, 1234.55, -3.25] {
        let expected = format!("{v:.1}");
        let expected = expected.strip_suffix(".0").unwrap_or(&expected);
        assert_eq!(s(v), expected, "{v}");
    }
}

#[test]
fn relative_path_lands_on_the_rounded_points() {
    let mut d = PathData::default();
    d.move_to(53.54, 360.9);
    d.line_to(53.54, 364.9);
    d.move_to(64.46, 360.9);
    d.line_to(64.46, 364.9);
    d.move_to(75.44, 360.96);
    d.line_to(80.0, 350.0);
    d.line_to(90.0, 345.0);
    // After a relative move, further pairs are relative line-tos.
    assert_eq!(d.d, "M53.5 360.9v4m11-4v4m10.9-3.9 4.6-11 10-5");
    let mut h = PathData::default();
    h.move_to(0.0, 0.0);
    for x in [19.1, 38.2, 57.3] {
        h.line_to(x, 0.0);
    }
    h.line_to(57.3, -5.0);
    h.line_to(57.3, -10.0);
    assert_eq!(h.d, "M0 0h19.1 19.1 19.1v-5-5");
    let mut r = PathData::default();
    r.move_to(10.0, 10.0);
    r.line_by(6.48, 0.0);
    r.line_by(0.0, 6.48);
    r.line_by(-6.48, 0.0);
    r.close();
    r.move_to(30.0, 12.0);
    assert_eq!(r.d, "M10 10h6.5v6.5h-6.5zm20 2");
}

/// A long series marks the ends of each run of joined points and a
/// point standing alone; a short one marks every point.
#[test]
fn long_series_mark_run_ends_and_lone_points() {
    let c = chart(ChartType::Series, 40, false);
    let svg = render(&c, WIDTH);
    assert_eq!(count(&svg, "<circle"), 2, "{svg}");
    let short = chart(ChartType::Series, DENSE_SERIES, false);
    assert_eq!(count(&render(&short, WIDTH), "<circle"), DENSE_SERIES);
    // Gaps at 10 and 12 leave 11 alone: marked are 0, 9 (before the
    // gap), 11, 13 (after it) and 39.
    let mut gappy = chart(ChartType::Series, 40, false);
    gappy.lines[0].cells[10] = Cell::Missing;
    gappy.lines[0].cells[12] = Cell::Missing;
    assert_eq!(count(&render(&gappy, WIDTH), "<circle"), 5);
}

/// Guards the compaction: a chart over 40 quarters draws its 40 tick
/// marks as one path, its grid as one path, its markers and tick labels
/// in groups that carry the shared attributes once.
#[test]
fn repeated_marks_are_drawn_once_per_kind() {
    let c = chart(ChartType::Series, 40, false);
    for width in [WIDTH, NARROW_WIDTH] {
        let svg = render(&c, width);
        assert_eq!(count(&svg, "class=\"ticks\""), 1, "{svg}");
        assert_eq!(
            count(&svg, "<line"),
            2,
            "baseline and footer rule only: {svg}"
        );
        let ticks = svg.lines().find(|l| l.contains("class=\"ticks\"")).unwrap();
        // One subpath per period: the first absolute, the others relative.
        assert_eq!(ticks.matches('M').count() + ticks.matches('m').count(), 40);
        assert_eq!(ticks.matches("v4").count(), 40);
        assert_eq!(count(&svg, "class=\"grid\""), 1);
        // A long series marks where its line starts and ends, not
        // every point; the last point is provisional.
        assert_eq!(count(&svg, "<circle"), 2);
        assert_eq!(count(&svg, "class=\"markers\""), 1);
        // Only the provisional marker says more than its position.
        assert_eq!(count(&svg, "stroke-width=\"1.8\""), 1);
        assert_eq!(count(&svg, "class=\"xtick\""), 1);
        assert_eq!(count(&svg, "class=\"ytick\""), 1);
        // A font is written once per run of text: title, subtitle, the
        // two axes, the provisional label, the end label, the footer.
        assert_eq!(count(&svg, "font-size="), 7, "{svg}");
        // The series is one polyline, the provisional segment its own path.
        assert_eq!(count(&svg, "class=\"series\""), 1);
        assert_eq!(count(&svg, "class=\"series provisional\""), 1);
        // No number is written with a trailing `.0`.
        assert!(!svg.contains(".0\"") && !svg.contains(".0 "), "{svg}");
        // Every caveat line is still there, in a group with its class.
        assert_eq!(count(&svg, "<g class=\"limitation\">"), 1);
        assert!(svg.contains(">• Provisional: Q4 2025.</text>"));
        assert!(svg.contains(">• Counted per child.</text>"));
    }
}

/// WCAG 2.1 relative luminance of `#rrggbb`.
fn luminance(hex: &str) -> f64 {
    let c = |i: usize| {
        let v = u8::from_str_radix(&hex[i..i + 2], 16).unwrap() as f64 / 255.0;
        if v <= 0.03928 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * c(1) + 0.7152 * c(3) + 0.0722 * c(5)
}

fn contrast(a: &str, b: &str) -> f64 {
    let (a, b) = (luminance(a), luminance(b));
    (a.max(b) + 0.05) / (a.min(b) + 0.05)
}

/// WCAG 1.4.11: lines and markers need 3:1 against what they are drawn
/// on; labels in a series' colour need 4.5:1 (1.4.3). The chart draws
/// its own background, so this holds in dark mode as well.
#[test]
fn every_series_colour_has_three_to_one_contrast() {
    for (stroke, ink) in PALETTE {
        let c = contrast(stroke, BACKGROUND);
        assert!(c >= 3.0, "{stroke}: {c:.2}:1");
        let c = contrast(ink, BACKGROUND);
        assert!(c >= 4.5, "{ink}: {c:.2}:1");
    }
    let svg = render(&chart(ChartType::Series, 8, false), WIDTH);
    assert!(svg.contains(&format!(
        "<rect width=\"100%\" height=\"100%\" fill=\"{BACKGROUND}\"/>"
    )));
    // No green, so no red/green pairing (H4): hue 90°–160° is absent.
    for (stroke, _) in PALETTE {
        let rgb: Vec<f64> = (0..3)
            .map(|i| u8::from_str_radix(&stroke[1 + 2 * i..3 + 2 * i], 16).unwrap() as f64)
            .collect();
        assert!(
            !(rgb[1] > rgb[0] + 20.0 && rgb[1] > rgb[2] + 20.0),
            "{stroke} is green"
        );
    }
}

/// A gap is marked at the axis, not halfway between its neighbours,
/// where the mark would read as a value (H3).
#[test]
fn gap_marks_sit_at_the_axis() {
    let mut c = chart(ChartType::Series, 8, false);
    c.lines[0].cells[4] = Cell::Missing;
    c.lines[0].cells[2] = Cell::Symbol(Status::NotAvailable);
    let svg = render(&c, WIDTH);
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let baseline: f64 = doc
        .descendants()
        .find(|n| n.attribute("class") == Some("baseline"))
        .and_then(|n| n.attribute("y1"))
        .unwrap()
        .parse()
        .unwrap();
    let gaps: Vec<f64> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text") && n.text() == Some(".."))
        .map(|n| n.attribute("y").unwrap().parse().unwrap())
        .collect();
    assert_eq!(gaps.len(), 2, "{svg}");
    for y in gaps {
        assert!(
            (baseline - y - 8.0).abs() < 0.11,
            "gap mark at {y}, axis at {baseline}"
        );
    }
}

/// In a phone layout of 40 quarters a period is narrower than its
/// mark: withheld periods one apart, up to the last, still get marks
/// that never overlap, each over its own period and near the axis.
#[test]
fn crowded_marks_never_overlap() {
    let mut c = chart(ChartType::Series, 40, false);
    for i in [1, 3, 5, 6, 8, 20, 22, 33, 35, 37, 38, 39] {
        c.lines[0].cells[i] = Cell::Suppressed {
            below: 5,
            derived: false,
        };
    }
    c.lines[0].cells[11] = Cell::Missing;
    c.lines[0].cells[13] = Cell::Suppressed {
        below: 5,
        derived: false,
    };
    let svg = render(&c, NARROW_WIDTH);
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let boxes: Vec<Rect> = doc
        .descendants()
        .filter(|n| {
            n.has_tag_name("text")
                && n.ancestors()
                    .find_map(|a| a.attribute("class"))
                    .is_some_and(|c| c == "suppressed" || c == "gap")
        })
        .map(|n| {
            let at = |a: &str| n.attribute(a).unwrap().parse::<f64>().unwrap();
            text_box(
                at("x"),
                at("y"),
                n.text().unwrap(),
                SMALL_SIZE,
                true,
                "middle",
            )
        })
        .collect();
    assert!(boxes.len() >= 8, "{svg}");
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            let apart = a.2 <= b.0 || b.2 <= a.0 || a.3 <= b.1 || b.3 <= a.1;
            assert!(apart, "{a:?} overlaps {b:?}");
        }
    }
}

#[test]
fn filled_markers_share_a_path_only_when_apart() {
    let draw = |step: f64| {
        let mut svg = Svg { out: String::new() };
        let points: Vec<(f64, f64, bool)> = (0..5)
            .map(|i| (50.0 + step * i as f64, 100.0, i == 4))
            .collect();
        svg.markers(1, "#E69F00", 1.0, &points);
        svg.out
    };
    // Apart: the four filled squares are one path, the hollow one its own.
    let apart = draw(19.1);
    assert_eq!(count(&apart, "<path"), 2, "{apart}");
    assert!(apart.contains("<path d=\"M46.8 96.8h6.5v6.5h-6.5zm19.1 0h6.5v6.5h-6.5z"));
    assert_eq!(count(&apart, "fill=\"#ffffff\" stroke-width=\"1.8\""), 1);
    // Overlapping (a phone layout of many quarters): one path each, so
    // each square is still painted over the one before it.
    let close = draw(6.2);
    assert_eq!(count(&close, "<path"), 5, "{close}");
}

#[test]
fn bars_and_compare_rows_share_their_attributes() {
    let svg = render(&chart(ChartType::Bars, 12, true), WIDTH);
    assert_eq!(count(&svg, "class=\"bars\""), 1);
    assert_eq!(count(&svg, "<rect x="), 12);
    assert_eq!(
        count(&svg, "stroke-width=\"1.5\""),
        2,
        "the bars' group and the baseline"
    );
    // The provisional bar is hollow and dashed.
    assert_eq!(count(&svg, "stroke-dasharray=\"4 2\""), 1);

    let svg = render(&chart(ChartType::Compare, 1, false), WIDTH);
    let doc = svg;
    assert_eq!(count(&doc, "<circle"), 2);
    assert_eq!(
        count(&doc, "class=\"markers\""),
        2,
        "grey dots and the highlighted diamond"
    );
    assert_eq!(count(&doc, "class=\"unit\""), 1);
    assert_eq!(count(&doc, "class=\"unit highlighted\""), 1);
    assert_eq!(count(&doc, "class=\"grid\""), 1);
    assert_eq!(
        count(&doc, "stroke=\"#f0f0f0\""),
        1,
        "row guides as one path"
    );
}
