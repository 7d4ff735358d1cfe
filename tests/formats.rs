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
    resolve(&spec, data, &ctx, None).unwrap()
}

/// The most units a compare chart names row by row (see
/// `src/chart/compare_view.rs`).
const MAX_NAMED_ROWS: usize = 40;

#[test]
fn a_compare_chart_that_names_every_unit_flows_into_columns_on_one_axis() {
    let (data, published) = many_units(MAX_NAMED_ROWS);
    let chart = compare_of(&data, &published);
    // The portrait chart grows with its rows.
    assert!(height(chart.svg_str()) > 28.0 * MAX_NAMED_ROWS as f64);
    let laid = assert_inside_with_caveats(&chart, SlideFormat::Wide);
    // Every unit is named, once.
    let names: Vec<&str> = laid
        .texts
        .iter()
        .filter(|t| t.0.starts_with("unit"))
        .map(|t| t.1.as_str())
        .collect();
    assert_eq!(names.len(), MAX_NAMED_ROWS, "{names:?}");
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

/// The values and names of the rows of an overview, top to bottom.
fn named_rows(laid: &Laid) -> (Vec<f64>, Vec<String>) {
    let mut texts: Vec<_> = laid.texts.iter().collect();
    texts.sort_by(|a, b| a.3.total_cmp(&b.3));
    let values = texts
        .iter()
        .filter(|t| t.0 == "value")
        .map(|t| t.1.replace(',', ".").parse::<f64>().unwrap())
        .collect();
    let names = texts
        .iter()
        .filter(|t| t.0.starts_with("unit"))
        .map(|t| t.1.clone())
        .collect();
    (values, names)
}

#[test]
fn many_units_are_dots_and_the_highlighted_unit_is_named_among_its_neighbours() {
    let (data, published) = many_units(400);
    let chart = compare_of(&data, &published);
    for format in SlideFormat::ALL {
        let svg = chart.slide_svg(format);
        let laid = assert_inside_with_caveats(&chart, format);
        // A dot per unit with a value in the distribution (the units of the
        // shared dataset that are not published are not in the chart), the
        // highlighted one a diamond among them.
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let strip = doc
            .descendants()
            .find(|n| n.attribute("class") == Some("distribution"))
            .expect("a distribution");
        let dots = strip
            .descendants()
            .filter(|n| n.has_tag_name("circle"))
            .count();
        assert_eq!(dots, 399, "every unit but the highlighted one as a dot");
        // Named: the highlighted unit and five units on either side of it
        // in value, highest first.
        let (values, names) = named_rows(&laid);
        assert_eq!(names.len(), 11, "{format:?}: {names:?}");
        assert_eq!(names[5], "Kommun 007", "{names:?}");
        assert!(values.windows(2).all(|w| w[0] >= w[1]), "{values:?}");
        assert_eq!(joined(&laid, "unit highlighted"), "Kommun 007");
        let note = joined(&laid, "overview-note");
        assert!(note.contains("(400 av 400 har ett värde)"), "{note}");
        assert!(note.contains("tabellen och CSV-filen"), "{note}");
        // The subtitle says what the picture is, not "in alphabetical order".
        let subtitle = joined(&laid, "subtitle");
        assert!(
            subtitle
                .contains("Alla enheter som punkter, och de som ligger närmast Kommun 007 i värde"),
            "{subtitle}"
        );
    }
}

/// The height of an SVG document.
fn height(svg: &str) -> f64 {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.root_element()
        .attribute("height")
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn no_compare_chart_grows_with_the_number_of_units() {
    // One row per unit up to the limit; over it, the page chart has the
    // same height for 150 units (English councils), 290 (Swedish
    // municipalities) or 2,000.
    let heights: Vec<f64> = [MAX_NAMED_ROWS + 1, 150, 290, 2_000]
        .into_iter()
        .map(|n| {
            let (data, published) = many_units(n);
            height(compare_of(&data, &published).svg_str())
        })
        .collect();
    assert!(heights.windows(2).all(|w| w[0] == w[1]), "{heights:?}");
    assert!(heights[0] < 900.0, "{heights:?}");
}

/// The width and height of an SVG document.
fn size(svg: &str) -> (f64, f64) {
    let doc = roxmltree::Document::parse(svg).unwrap();
    let root = doc.root_element();
    let number = |name: &str| root.attribute(name).unwrap().parse().unwrap();
    (number("width"), number("height"))
}

#[test]
fn a_compare_chart_of_ten_thousand_units_is_an_image_of_bounded_size() {
    // The stress site of the scale issue has 10,000 units; before the
    // overview, its compare chart was a PNG of 960 × 420,714 px. At 10,000
    // units the page chart and every slide format have the size they have
    // at 41 units, and the SVG grows by one dot per unit only (576 KB at
    // 10,000 units, against 7 KB at 41).
    let (few_data, few_published) = many_units(MAX_NAMED_ROWS + 1);
    let few = compare_of(&few_data, &few_published);
    let (data, published) = many_units(10_000);
    let chart = compare_of(&data, &published);
    assert_eq!(size(chart.svg_str()), size(few.svg_str()));
    assert!(
        size(chart.svg_str()).1 < 900.0,
        "{:?}",
        size(chart.svg_str())
    );
    for format in SlideFormat::ALL {
        assert_eq!(
            size(&chart.slide_svg(format)),
            size(&few.slide_svg(format)),
            "{format:?}"
        );
    }
    let per_unit = (chart.svg_str().len() - few.svg_str().len()) / (10_000 - MAX_NAMED_ROWS - 1);
    assert!(per_unit <= 80, "{per_unit} bytes of SVG per unit");
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

#[test]
fn a_caveat_over_many_units_counts_them_instead_of_naming_each() {
    let (mut data, published) = many_units(150);
    for i in 0..150 {
        provisional(
            &mut data,
            "open_cases",
            &format!("enhet-{i:03}"),
            q(2024, 3),
        );
    }
    let chart = compare_of(&data, &published);
    let caveat = chart
        .limitations()
        .iter()
        .find(|l| l.starts_with("Preliminärt"))
        .expect("a provisional caveat")
        .replace('\u{a0}', " ");
    assert!(
        caveat.starts_with("Preliminärt: K3 2024 (150 enheter, se tabellen)."),
        "{caveat}"
    );
    // The slide layouts keep room for the chart.
    for format in SlideFormat::ALL {
        let laid = assert_inside_with_caveats(&chart, format);
        assert_eq!(joined(&laid, "unit highlighted"), "Kommun 007");
    }
}

#[test]
fn totals_of_many_groups_are_in_the_table_not_over_the_dots() {
    // 150 units in five groups (counties), each group a unit with its own
    // figures: a ratio's group totals would be five reference lines.
    let (mut data, mut published) = many_units(150);
    let p = q(2024, 3);
    for g in 0..5 {
        let id = format!("lan-{g}");
        data.units.units.insert(
            id.clone(),
            Unit {
                id: id.clone(),
                name: format!("Län {g}"),
                area: None,
                parent: None,
            },
        );
        for (m, v) in [("open_cases", 3000.0 + g as f64), ("staff_fte", 150.0)] {
            data.series
                .entry(SeriesKey::total(m, &id))
                .or_default()
                .points
                .insert(
                    p,
                    Observation {
                        value: Value::final_(v),
                        origin: None,
                    },
                );
        }
        published.insert(id);
    }
    for i in 0..150 {
        let unit = data.units.units.get_mut(&format!("enhet-{i:03}")).unwrap();
        unit.parent = Some(format!("lan-{}", i % 5));
    }
    let chart = compare_of(&data, &published);
    let caveat =
        "5 totaler för grupper av enheterna ritas inte i bilden; de står i tabellen och CSV-filen.";
    assert!(
        chart.limitations().iter().any(|l| l == caveat),
        "{:?}",
        chart.limitations()
    );
    let table = chart.table();
    assert!(
        table.rows.iter().any(|r| r.0 == "Län 3"),
        "{:?}",
        table.rows
    );
    assert!(chart.csv().contains("lan-3"));
    for svg in [
        chart.svg_str().to_string(),
        chart.slide_svg(SlideFormat::Square),
    ] {
        assert!(!svg.contains("class=\"peer\""), "no reference lines drawn");
        assert!(!svg.contains("Län 3"));
    }
    // The highlighted unit keeps its neighbours on the square.
    let laid = assert_inside_with_caveats(&chart, SlideFormat::Square);
    let (_, names) = named_rows(&laid);
    assert_eq!(names.len(), 11, "{names:?}");
}
