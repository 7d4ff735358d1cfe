//! Charts laid out for slides and social media: a 16:9 image (1920 × 1080)
//! and a square one (1080 × 1080), each with its caveats and address inside
//! the image, whatever the chart's shape.

use std::collections::BTreeSet;

use crate::common::*;
use insyn::chart::{Chart, ChartContext, ChartSpec, SlideFormat, rasterize_png_at, resolve};
use insyn::data::{Dataset, Observation, SeriesKey, Unit, Value};
use insyn::text::Lang;

/// The class of an element: its own, or that of the nearest group with one.
fn class_of<'a>(n: roxmltree::Node<'a, '_>) -> &'a str {
    n.ancestors()
        .take_while(|a| a.is_element() && !a.has_tag_name("svg"))
        .find_map(|a| a.attribute("class"))
        .unwrap_or("")
}

/// The x offset of the groups around `n` (compare columns are translated).
fn offset_x(n: roxmltree::Node) -> f64 {
    n.ancestors()
        .filter_map(|a| a.attribute("transform"))
        .filter_map(|t| {
            t.strip_prefix("translate(")?
                .split(' ')
                .next()?
                .parse::<f64>()
                .ok()
        })
        .sum()
}

struct Laid {
    px: (u32, u32),
    view: (f64, f64),
    /// (class, text, x, y) of every text, in the layout box.
    texts: Vec<(String, String, f64, f64)>,
}

fn lay_out(chart: &Chart, format: SlideFormat) -> Laid {
    let svg = chart.slide_svg(format);
    let doc = roxmltree::Document::parse(&svg).expect("well-formed SVG");
    let root = doc.root_element();
    let num = |name: &str| root.attribute(name).unwrap().parse::<u32>().unwrap();
    let view: Vec<f64> = root
        .attribute("viewBox")
        .unwrap()
        .split(' ')
        .map(|v| v.parse().unwrap())
        .collect();
    let texts = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| {
            let at = |a: &str| n.attribute(a).unwrap().parse::<f64>().unwrap();
            (
                class_of(n).to_string(),
                n.text().unwrap_or("").to_string(),
                at("x") + offset_x(n),
                at("y"),
            )
        })
        .collect();
    Laid {
        px: (num("width"), num("height")),
        view: (view[2], view[3]),
        texts,
    }
}

/// The lines of a class joined again, as the reader reads them.
fn joined(laid: &Laid, class: &str) -> String {
    laid.texts
        .iter()
        .filter(|t| t.0 == class)
        .map(|t| t.1.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

fn assert_inside_with_caveats(chart: &Chart, format: SlideFormat) -> Laid {
    let laid = lay_out(chart, format);
    assert_eq!(laid.px, format.pixels());
    let (w, h) = laid.view;
    // The box has the image's shape: a layout for it, not a scaled page.
    let ratio = laid.px.0 as f64 / laid.px.1 as f64;
    assert!((w / h - ratio).abs() < 0.01, "{w}×{h} for {:?}", laid.px);
    for (class, text, x, y) in &laid.texts {
        assert!(
            *x >= 0.0 && *x <= w && *y > 0.0 && *y <= h,
            "{class} `{text}` at ({x}, {y}) is outside the {w}×{h} box of {format:?}"
        );
    }
    // Every caveat, the source and the address, whole (H5).
    // Compared without spaces: an address inside a caveat wraps after `/`,
    // `-` or `_`.
    let limitations = joined(&laid, "limitation").replace(' ', "");
    for l in chart.limitations() {
        assert!(
            limitations.contains(&format!("•{}", l.replace(' ', ""))),
            "{l} in {limitations}"
        );
    }
    // A long address wraps after `/`, `-` or `_`.
    assert!(
        joined(&laid, "permalink")
            .replace(' ', "")
            .contains(&chart.permalink()),
        "{}",
        joined(&laid, "permalink")
    );
    assert!(!joined(&laid, "source").is_empty());
    assert!(
        joined(&laid, "title")
            .replace('\u{a0}', " ")
            .contains(&chart.title().replace('\u{a0}', " ")),
        "{}",
        joined(&laid, "title")
    );
    laid
}

fn every_chart_type() -> Vec<Chart> {
    let mut data = dataset();
    add_break(&mut data, "open_cases", q(2022, 1));
    provisional(&mut data, "open_cases", "nordost", q(2024, 3));
    [
        "type = \"growth\"\ncaseload = \"open_cases\"\nstaffing = \"staff_fte\"\nunit = \"nordost\"",
        "type = \"per_fte\"\nmeasure = \"cases_per_fte\"\nunit = \"nordost\"",
        "type = \"series\"\nmeasures = [\"open_cases\", \"staff_fte\"]\nunit = \"nordost\"",
        "type = \"bars\"\nmeasure = \"open_cases\"\nunit = \"sydvast\"\nfrom = \"2023Q1\"",
        "type = \"compare\"\nmeasure = \"cases_per_fte\"\nunit = \"nordost\"",
        "type = \"workload\"\nworkload = \"workload_points\"\ncapacity = \"capacity_points\"\nunit = \"nordost\"",
    ]
    .iter()
    .map(|spec| chart_in(spec, &data, Lang::Sv))
    .collect()
}

#[test]
fn every_chart_type_fits_both_formats_with_its_caveats_inside() {
    for chart in every_chart_type() {
        for format in SlideFormat::ALL {
            let laid = assert_inside_with_caveats(&chart, format);
            // Larger type than the portrait PNG (drawn at 1.5×): the box
            // is at most two thirds of the pixels.
            assert!(
                laid.view.0 <= laid.px.0 as f64 / 1.5 + 0.5,
                "{} in {format:?}: {:?}",
                chart.slug(),
                laid.view
            );
        }
    }
}

#[test]
fn a_long_list_of_caveats_still_fits_inside() {
    let mut data = dataset();
    for p in [q(2020, 1), q(2021, 2), q(2022, 3), q(2023, 4)] {
        add_break(&mut data, "open_cases", p);
    }
    for p in quarters().iter().step_by(3) {
        provisional(&mut data, "open_cases", "nordost", *p);
    }
    let chart = chart_in(
        "type = \"growth\"\ncaseload = \"open_cases\"\nstaffing = \"staff_fte\"\nunit = \"nordost\"",
        &data,
        Lang::En,
    );
    assert!(chart.limitations().len() >= 6);
    for format in SlideFormat::ALL {
        assert_inside_with_caveats(&chart, format);
    }
}

/// `n` units with open cases and staff in 2024Q3; `hl` is highlighted.
fn many_units(n: usize) -> (Dataset, BTreeSet<String>) {
    let mut data = dataset();
    let mut published = BTreeSet::new();
    let p = q(2024, 3);
    for i in 0..n {
        let id = format!("enhet-{i:03}");
        data.units.units.insert(
            id.clone(),
            Unit {
                id: id.clone(),
                name: format!("Kommun {i:03}"),
                area: None,
                parent: None,
            },
        );
        for (m, v) in [
            ("open_cases", 50.0 + (i * 37 % 300) as f64),
            ("staff_fte", 5.0 + (i % 11) as f64),
        ] {
            let key = SeriesKey::total(m, &id);
            data.series.entry(key).or_default().points.insert(
                p,
                Observation {
                    value: Value::final_(v),
                    origin: None,
                },
            );
        }
        published.insert(id);
    }
    (data, published)
}

fn compare_of(data: &Dataset, published: &BTreeSet<String>) -> Chart {
    let spec = ChartSpec::parse(
        "type = \"compare\"\nmeasure = \"cases_per_fte\"\nunit = \"enhet-007\"\nperiod = \"2024Q3\"",
    )
    .unwrap();
    let config = config(Lang::Sv);
    let ctx = ChartContext {
        config: &config,
        lang: Lang::Sv,
        published_units: published,
        latest: data.latest_period(),
    };
    resolve(&spec, data, &ctx, None)
}

#[test]
fn a_compare_chart_of_150_units_flows_into_columns_on_one_axis() {
    let (data, published) = many_units(150);
    let chart = compare_of(&data, &published);
    // The portrait chart grows with its rows.
    assert!(insyn::chart::Chart::svg_str(&chart).len() > 10_000);
    let laid = assert_inside_with_caveats(&chart, SlideFormat::Wide);
    // Every unit is named, once.
    let names: Vec<&str> = laid
        .texts
        .iter()
        .filter(|t| t.0.starts_with("unit"))
        .map(|t| t.1.as_str())
        .collect();
    assert_eq!(names.len(), 150, "{names:?}");
    // In several columns that share one value axis: the same tick labels
    // at the same offset in every column.
    let xs: BTreeSet<i64> = laid
        .texts
        .iter()
        .filter(|t| t.0 == "unit highlighted" || t.0 == "unit")
        .map(|t| t.2.round() as i64)
        .collect();
    assert!(xs.len() >= 2, "one column only: {xs:?}");
    let ticks: Vec<&str> = laid
        .texts
        .iter()
        .filter(|t| t.0 == "xtick")
        .map(|t| t.1.as_str())
        .collect();
    let per_column = ticks.len() / xs.len();
    assert!(
        ticks.chunks(per_column).all(|c| c == &ticks[..per_column]),
        "{ticks:?}"
    );
}

#[test]
fn a_compare_chart_too_long_for_columns_becomes_a_dot_plot_of_every_unit() {
    let (data, published) = many_units(400);
    let chart = compare_of(&data, &published);
    let svg = chart.slide_svg(SlideFormat::Square);
    let laid = assert_inside_with_caveats(&chart, SlideFormat::Square);
    // A dot per unit with a value (the units of the shared dataset that are
    // not published are not in the chart), the highlighted one named.
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let dots = doc
        .descendants()
        .filter(|n| n.has_tag_name("circle"))
        .count();
    assert_eq!(dots, 399, "every unit but the highlighted one as a dot");
    let highlighted = joined(&laid, "unit highlighted");
    assert!(highlighted.starts_with("Kommun 007: "), "{highlighted}");
    let note = joined(&laid, "dot-plot-note");
    assert!(note.contains("(400 av 400)"), "{note}");
}

#[test]
fn slide_pngs_have_the_format_size() {
    let chart = &every_chart_type()[0];
    for format in SlideFormat::ALL {
        let png = rasterize_png_at(&chart.slide_svg(format), 1.0).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let be = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
        assert_eq!((be(16), be(20)), format.pixels(), "{format:?}");
    }
}
