//! Drawing a resolved chart as a self-contained SVG document (H1–H5): the
//! page layouts here, a plot's panel in `panel.rs`, compare charts in
//! `compare.rs`, slides in `slide.rs`; text measuring, the document writer
//! and label placement in their own files.

use std::fmt::Write as _;

use crate::chart::chart_type::ChartType;
use crate::chart::model::{Chart, Panel};
use crate::format;

mod compare;
mod doc;
mod panel;
mod place;
mod slide;
#[cfg(test)]
pub(crate) mod tests;
mod text;

use doc::{Label, PathData, Svg, coord, font, label};
use panel::draw_panel;
pub use place::seg_crosses;
pub use slide::SlideFormat;
pub(crate) use slide::render_slide;
pub(crate) use text::esc;
pub use text::text_width;
pub(crate) use text::wrap;

/// The width of a chart, in SVG user units (it scales through `viewBox`).
pub const WIDTH: f64 = 640.0;
/// The width of the phone layout: drawn for a narrow screen rather than
/// shrunk, so its text stays readable at 360 CSS pixels.
pub const NARROW_WIDTH: f64 = 400.0;
const PAD: f64 = 16.0;
/// A line chart with more periods than this marks only the points that need
/// it (see `draw_panel`), not every point.
const DENSE_SERIES: usize = 12;
const TITLE_SIZE: f64 = 20.0;
const TEXT_SIZE: f64 = 14.0;
const SMALL_SIZE: f64 = 13.0;
const FOOTER_SIZE: f64 = 13.0;
/// Body text colour: 16:1 on white.
const INK: &str = "#1a1a1a";
/// Secondary text: 7:1 on white.
const INK2: &str = "#4d4d4d";

/// Colours for lines and marks, with a shade of each for text (≥ 4.5:1 on
/// white). Okabe-Ito's blue, with its orange and reddish purple darkened
/// and its sky blue replaced by indigo, so every line has at least 3:1
/// against the chart's white background (WCAG 1.4.11); the chart keeps its
/// white background in dark mode too. Told apart by hue and lightness under
/// the common colour-vision deficiencies, and by marker shape and direct
/// labels; no red/green (H4).
pub(crate) const PALETTE: [(&str, &str); 5] = [
    ("#0072B2", "#0072B2"),
    ("#B86B00", "#8A5A00"),
    ("#B5508F", "#9A3F73"),
    ("#332288", "#332288"),
    ("#555555", "#555555"),
];
/// The chart's own background, drawn under everything.
pub(crate) const BACKGROUND: &str = "#ffffff";

/// Round tick steps: 1, 2, 2.5, 5 × 10^k, about five ticks from zero.
fn ticks(max: f64) -> (f64, f64) {
    let max = if max > 0.0 { max } else { 1.0 };
    let raw = max / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let top = (max * 1.04 / step).ceil() * step;
    (step, top)
}

fn decimals(step: f64) -> usize {
    if (step - step.round()).abs() < 1e-9 {
        0
    } else if (step * 10.0 - (step * 10.0).round()).abs() < 1e-9 {
        1
    } else {
        2
    }
}

/// Renders the whole document.
pub(crate) fn render(chart: &Chart, width: f64) -> String {
    crate::timings::CHARTS_DRAWN.add();
    let lang = chart.lang;
    let mut body = Svg { out: String::new() };
    // Text wraps a little inside the right margin: viewers substitute
    // fonts whose glyphs run slightly wider than the measured DejaVu Sans.
    let inner = width - 2.0 * PAD - 10.0;
    let mut y = PAD;

    // Title and subtitle: what is measured, the unit, the periods (H5).
    let mut title = Vec::new();
    for l in wrap(&chart.title, TITLE_SIZE, true, inner) {
        y += TITLE_SIZE * 1.2;
        title.push(label(PAD, y, l, Some("title")));
    }
    body.texts(&font(TITLE_SIZE, INK).bold(true).attrs(), &title);
    y += 4.0;
    let mut subtitle = Vec::new();
    for l in wrap(&chart.subtitle, TEXT_SIZE, false, inner) {
        y += TEXT_SIZE * 1.35;
        subtitle.push(label(PAD, y, l, Some("subtitle")));
    }
    body.texts(&font(TEXT_SIZE, INK2).attrs(), &subtitle);
    y += 14.0;

    if chart.chart_type == ChartType::Compare {
        y = compare::draw_compare(chart, &mut body, y, width);
    } else {
        let multiple = chart.panels.len() > 1;
        let colours = plotted_colours(chart);
        let right = end_label_width(chart);
        let left = PAD + y_label_width(chart) + 8.0;
        for panel in &chart.panels {
            if multiple {
                y += TEXT_SIZE;
                body.text(
                    PAD,
                    y,
                    &panel.axis_label,
                    font(TEXT_SIZE, INK).bold(true),
                    Some("panel"),
                );
                y += 18.0;
            }
            let h = if multiple { 170.0 } else { 260.0 };
            y = draw_panel(
                chart,
                panel,
                &colours,
                &mut body,
                left,
                width - PAD - right,
                y,
                h,
            );
            y += 8.0;
        }
    }

    // Footer: source, data date, every limitation, the address (H5).
    y += 8.0;
    body.line(PAD, y, width - PAD, y, "#8c8c8c", 0.8, None, None);
    y += 4.0;
    let lh = FOOTER_SIZE * 1.32;
    let mut paragraphs: Vec<(String, &str)> = vec![(chart.source_line.clone(), "source")];
    for l in &chart.limitations {
        paragraphs.push((format!("• {l}"), "limitation"));
    }
    paragraphs.push((
        format!("{}: {}", lang.words().permalink, chart.permalink),
        "permalink",
    ));
    // One group carries the footer's font; the lines of each kind (source,
    // limitations, address) share a group with their class.
    let _ = writeln!(body.out, "<g{}>", font(FOOTER_SIZE, "#333333").attrs());
    let mut run: Vec<Label> = Vec::new();
    for (text, class) in paragraphs {
        if run.first().is_some_and(|l| l.class != Some(class)) {
            body.texts("", &std::mem::take(&mut run));
        }
        for l in wrap(&text, FOOTER_SIZE, false, inner) {
            y += lh;
            run.push(label(PAD, y, l, Some(class)));
        }
        y += 3.0;
    }
    body.texts("", &run);
    body.out.push_str("</g>\n");
    let height = (y + PAD).ceil();
    document(
        chart,
        (&width.to_string(), &height.to_string()),
        &format!("0 0 {width} {height}"),
        &body.out,
    )
}

/// A chart's SVG document around `body`: the root element, `size` wide and
/// high with the view box `view_box`, the title and description that name
/// the image to screen readers (`aria-labelledby`), and the background.
fn document(chart: &Chart, size: (&str, &str), view_box: &str, body: &str) -> String {
    let (width, height) = size;
    let mut out = String::with_capacity(body.len() + 1024);
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{width}\" height=\"{height}\" viewBox=\"{view_box}\" role=\"img\" aria-labelledby=\"{s}-title {s}-desc\" font-family=\"DejaVu Sans, Verdana, sans-serif\" fill=\"{INK}\">",
        s = chart.slug
    );
    let _ = writeln!(
        out,
        "<title id=\"{}-title\">{}</title>",
        chart.slug,
        esc(&chart.title)
    );
    let _ = writeln!(
        out,
        "<desc id=\"{}-desc\">{}</desc>",
        chart.slug,
        esc(&chart.description)
    );
    let _ = writeln!(
        out,
        "<rect width=\"100%\" height=\"100%\" fill=\"{BACKGROUND}\"/>"
    );
    out.push_str(body);
    out.push_str("</svg>\n");
    out
}

/// Colour index per line, in the order lines are drawn.
fn plotted_colours(chart: &Chart) -> Vec<usize> {
    let mut k = 0;
    chart
        .lines
        .iter()
        .map(|l| {
            let c = k;
            if l.plotted {
                k += 1;
            }
            c
        })
        .collect()
}

const END_LABEL_MAX: f64 = 150.0;

/// The room the end labels take: only lines with a value to end at have
/// one (a line whose every value is withheld has none, so its plot keeps
/// the width).
fn end_label_width(chart: &Chart) -> f64 {
    let w = chart
        .lines
        .iter()
        .filter(|l| l.plotted && l.cells.iter().any(|c| c.number().is_some()))
        .flat_map(|l| wrap(&l.label, SMALL_SIZE, true, END_LABEL_MAX))
        .map(|s| text_width(&s, SMALL_SIZE, true))
        .fold(0.0, f64::max);
    w + 12.0
}

fn panel_max(chart: &Chart, panel: &Panel) -> f64 {
    let mut max = panel.reference.as_ref().map(|r| r.0).unwrap_or(0.0);
    for i in &panel.lines {
        for c in &chart.lines[*i].cells {
            if let Some(n) = c.number() {
                max = max.max(n);
            }
        }
    }
    max
}

fn y_label_width(chart: &Chart) -> f64 {
    chart
        .panels
        .iter()
        .map(|p| {
            let (step, top) = ticks(panel_max(chart, p));
            text_width(
                &format::number(top, decimals(step), chart.lang),
                SMALL_SIZE,
                false,
            )
        })
        .fold(0.0, f64::max)
}

/// The drawings of a chart, made on first use and kept with it.
impl Chart {
    /// The full SVG document, caveats included (H5).
    pub fn svg(&self) -> String {
        self.svg_str().to_string()
    }
    /// The SVG document without copying it: drawn on first use, then kept.
    pub fn svg_str(&self) -> &str {
        self.svg_cache
            .get_or_init(|| self.kept_drawing("wide", WIDTH))
    }
    /// The width and height the wide drawing declares: what a page needs
    /// to show it by address. Read from the head of the kept file when the
    /// drawing is not at hand, instead of reading all of it.
    pub fn svg_dimensions(&self) -> (u32, u32) {
        *self.sizes[0].get_or_init(|| self.dimensions(&self.svg_cache, "wide", Chart::svg_str))
    }
    /// [`Chart::svg_dimensions`] of the phone layout.
    pub fn svg_narrow_dimensions(&self) -> (u32, u32) {
        *self.sizes[1]
            .get_or_init(|| self.dimensions(&self.svg_narrow_cache, "narrow", Chart::svg_narrow))
    }
    /// The size of the drawing `layout`: from `drawn` when it is at hand,
    /// else from the kept file's head, else from `draw`.
    fn dimensions(
        &self,
        drawn: &std::sync::OnceLock<String>,
        layout: &str,
        draw: fn(&Chart) -> &str,
    ) -> (u32, u32) {
        match drawn.get() {
            Some(svg) => svg_size(svg),
            None => self
                .kept_drawing_size(layout)
                .unwrap_or_else(|| svg_size(draw(self))),
        }
    }
    /// The same chart laid out for a phone screen: same content and caveats,
    /// narrower, so text stays readable instead of shrinking.
    pub fn svg_narrow(&self) -> &str {
        self.svg_narrow_cache
            .get_or_init(|| self.kept_drawing("narrow", NARROW_WIDTH))
    }
    /// Drops the drawn SVG documents; they are drawn again when next asked
    /// for. A site of thousands of units holds every chart between drawing
    /// the pages that embed them and writing the charts' own files, and
    /// the SVGs are most of a chart's weight.
    pub fn forget_svgs(&mut self) {
        self.svg_cache = std::sync::OnceLock::new();
        self.svg_narrow_cache = std::sync::OnceLock::new();
        if let Some(full) = &mut self.full {
            full.forget_svgs();
        }
    }
    /// Both SVG documents (wide, narrow), moved out of the chart rather
    /// than copied: the downloads write them as they are.
    pub fn into_svgs(self) -> (String, String) {
        let _ = (self.svg_str(), self.svg_narrow());
        (
            self.svg_cache.into_inner().unwrap_or_default(),
            self.svg_narrow_cache.into_inner().unwrap_or_default(),
        )
    }
    /// The chart laid out for a fixed-size image (a 16:9 slide, a square),
    /// with its caveats inside: an SVG document of the format's pixel
    /// size, to rasterise at 1× ([`crate::chart::rasterize_png_at`]).
    pub fn slide_svg(&self, format: crate::chart::SlideFormat) -> String {
        render_slide(self, format)
    }
}

/// The width and height of an SVG document's root element, for `<img>`
/// attributes that keep the layout from jumping while images load.
pub fn svg_size(svg: &str) -> (u32, u32) {
    let head = &svg[..svg.find('>').unwrap_or(svg.len())];
    let attr = |name: &str| -> Option<u32> {
        let pat = format!(" {name}=\"");
        let start = head.find(&pat)? + pat.len();
        let end = head[start..].find('"')? + start;
        head[start..end]
            .trim_end_matches("px")
            .parse::<f64>()
            .ok()
            .map(|v| v.round() as u32)
    };
    (attr("width").unwrap_or(640), attr("height").unwrap_or(400))
}
