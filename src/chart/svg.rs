//! Drawing a resolved chart as a self-contained SVG document (H1–H5).

use std::fmt::{self, Write as _};
use std::sync::Once;

use plotters::style::{FontDesc, FontFamily, FontStyle};

use crate::chart::model::{Cell, Chart, Line, Panel};
use crate::chart::spec::ChartType;
use crate::chart::{FONT_BOLD, FONT_REGULAR};
use crate::format;

mod compare;
mod slide;
pub use slide::SlideFormat;
pub(crate) use slide::render_slide;

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

static FONTS: Once = Once::new();

/// Registers the embedded DejaVu Sans with plotters' `ab_glyph` font
/// registry, so text is measured with real glyph widths.
fn ensure_fonts() {
    FONTS.call_once(|| {
        // The bytes are the font shipped in the repository: registering cannot fail.
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, FONT_REGULAR);
        let _ = plotters::style::register_font("sans-serif", FontStyle::Bold, FONT_BOLD);
    });
}

/// The width of `text` at `size` (CSS pixels per em) in DejaVu Sans.
pub fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    // The same labels (periods, unit names, footer lines) are measured again
    // and again across a site's charts: remember widths per thread.
    type Widths = std::collections::HashMap<(String, u64, bool), f64>;
    thread_local! {
        static WIDTHS: std::cell::RefCell<Widths> = Default::default();
    }
    let key = (text.to_string(), size.to_bits(), bold);
    if let Some(w) = WIDTHS.with(|m| m.borrow().get(&key).copied()) {
        return w;
    }
    let w = measure_text(text, size, bold);
    WIDTHS.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() > 100_000 {
            m.clear();
        }
        m.insert(key, w);
    });
    w
}

fn measure_text(text: &str, size: f64, bold: bool) -> f64 {
    ensure_fonts();
    // ab_glyph scales by ascent − descent, which for DejaVu Sans is 1.1641 em.
    let style = if bold {
        FontStyle::Bold
    } else {
        FontStyle::Normal
    };
    let font = FontDesc::new(FontFamily::SansSerif, size * 1.1641, style);
    match font.box_size(text) {
        Ok((w, _)) => w as f64,
        Err(_) => text.chars().count() as f64 * size * 0.62,
    }
}

/// Greedy word wrap to `max` width.
pub(crate) fn wrap(text: &str, size: f64, bold: bool, max: f64) -> Vec<String> {
    let space = text_width(" ", size, bold);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut width = 0.0;
    let words = text
        .split(' ')
        .filter(|w| !w.is_empty())
        .flat_map(|w| split_long(w, size, bold, max));
    for word in words {
        let word = word.as_str();
        let w = text_width(word, size, bold);
        if !line.is_empty() && width + space + w > max {
            lines.push(std::mem::take(&mut line));
            width = 0.0;
        }
        if !line.is_empty() {
            line.push(' ');
            width += space;
        }
        line.push_str(word);
        width += w;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Splits a word wider than `max` (an address) after `/`, `-` or `_`.
fn split_long(word: &str, size: f64, bold: bool, max: f64) -> Vec<String> {
    if text_width(word, size, bold) <= max {
        return vec![word.to_string()];
    }
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut piece = String::new();
    for c in word.chars() {
        piece.push(c);
        if matches!(c, '/' | '-' | '_') {
            if !current.is_empty() && text_width(&format!("{current}{piece}"), size, bold) > max {
                parts.push(std::mem::take(&mut current));
            }
            current.push_str(&piece);
            piece.clear();
        }
    }
    if !current.is_empty() && text_width(&format!("{current}{piece}"), size, bold) > max {
        parts.push(std::mem::take(&mut current));
    }
    current.push_str(&piece);
    parts.push(current);
    // Each piece together with the next is wider than `max`, so `wrap` never
    // puts two pieces on one line (and never adds a space inside the word).
    parts
}

/// The SVG's escaper is the XML one.
pub(crate) use crate::escape::xml as esc;

/// A coordinate in tenths of a user unit. Every number in the drawing is
/// written through it, and relative path commands are differences of
/// rounded points, so they land exactly where absolute ones would.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Coord(i64);

/// Rounds `v` to tenths the way `{:.1}` does.
fn coord(v: f64) -> Coord {
    let t = v * 10.0;
    let r = t.round();
    if 0.5 - (t - r).abs() > 1e-6 {
        return Coord(r as i64);
    }
    // Near a tie, `{:.1}` rounds the exact value half to even: ask it.
    let s = format!("{v:.1}");
    let tenths: i64 = s
        .chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or(0);
    Coord(if s.starts_with('-') { -tenths } else { tenths })
}

/// One decimal, none when it is whole: `16`, `16.5`, `-0.4`.
impl fmt::Display for Coord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        if a.is_multiple_of(10) {
            write!(f, "{sign}{}", a / 10)
        } else {
            write!(f, "{sign}{}.{}", a / 10, a % 10)
        }
    }
}

/// Path data: an absolute start, then relative commands with the fewest
/// separators.
#[derive(Default)]
struct PathData {
    d: String,
    at: (i64, i64),
    start: (i64, i64),
    last: char,
}

impl PathData {
    fn num(&mut self, tenths: i64) {
        if tenths >= 0 && self.d.ends_with(|c: char| c.is_ascii_digit()) {
            self.d.push(' ');
        }
        let _ = write!(self.d, "{}", Coord(tenths));
    }

    fn cmd(&mut self, c: char) {
        self.d.push(c);
        self.last = c;
    }

    /// Starts a subpath at `(x, y)`.
    fn move_to(&mut self, x: f64, y: f64) {
        let p = (coord(x).0, coord(y).0);
        if self.d.is_empty() {
            self.cmd('M');
            self.num(p.0);
            self.num(p.1);
        } else {
            self.cmd('m');
            self.num(p.0 - self.at.0);
            self.num(p.1 - self.at.1);
        }
        self.at = p;
        self.start = p;
    }

    fn line_to(&mut self, x: f64, y: f64) {
        let (dx, dy) = (coord(x).0 - self.at.0, coord(y).0 - self.at.1);
        self.step(dx, dy);
    }

    /// A line by `(dx, dy)`, each rounded on its own: the sides of a
    /// rectangle keep the width a `<rect>` would have.
    fn line_by(&mut self, dx: f64, dy: f64) {
        self.step(coord(dx).0, coord(dy).0);
    }

    fn step(&mut self, dx: i64, dy: i64) {
        // A command repeats without its letter; after `m`, pairs are `l`.
        if dy == 0 && dx != 0 {
            if self.last != 'h' {
                self.cmd('h');
            }
            self.num(dx);
        } else if dx == 0 && dy != 0 {
            if self.last != 'v' {
                self.cmd('v');
            }
            self.num(dy);
        } else {
            if !matches!(self.last, 'l' | 'm') {
                self.cmd('l');
            }
            self.last = 'l';
            self.num(dx);
            self.num(dy);
        }
        self.at = (self.at.0 + dx, self.at.1 + dy);
    }

    fn close(&mut self) {
        self.cmd('z');
        self.at = self.start;
    }

    fn is_empty(&self) -> bool {
        self.d.is_empty()
    }
}

/// The presentation attributes of a text, written once on a text or on
/// the group of texts that share them.
#[derive(Debug, Clone, Copy)]
struct Font<'a> {
    size: f64,
    fill: &'a str,
    anchor: &'a str,
    bold: bool,
    /// A white halo keeps a label readable where it crosses lines.
    halo: bool,
}

fn font(size: f64, fill: &str) -> Font<'_> {
    Font {
        size,
        fill,
        anchor: "start",
        bold: false,
        halo: false,
    }
}

impl<'a> Font<'a> {
    fn anchor(self, anchor: &'a str) -> Self {
        Font { anchor, ..self }
    }
    fn bold(self, bold: bool) -> Self {
        Font { bold, ..self }
    }
    fn halo(self) -> Self {
        Font { halo: true, ..self }
    }
    fn attrs(&self) -> String {
        let mut s = format!(" font-size=\"{}\"", self.size);
        if self.fill != INK {
            let _ = write!(s, " fill=\"{}\"", self.fill);
        }
        if self.anchor != "start" {
            let _ = write!(s, " text-anchor=\"{}\"", self.anchor);
        }
        if self.bold {
            s.push_str(" font-weight=\"bold\"");
        }
        if self.halo {
            s.push_str(
                " stroke=\"#ffffff\" stroke-width=\"4\" stroke-linejoin=\"round\" paint-order=\"stroke\"",
            );
        }
        s
    }
}

/// One text of a run drawn with the same font.
struct Label<'a> {
    x: f64,
    y: f64,
    text: String,
    class: Option<&'a str>,
}

fn label<'a>(x: f64, y: f64, text: impl Into<String>, class: Option<&'a str>) -> Label<'a> {
    Label {
        x,
        y,
        text: text.into(),
        class,
    }
}

struct Svg {
    out: String,
}

impl Svg {
    fn text(&mut self, x: f64, y: f64, s: &str, font: Font, class: Option<&str>) {
        self.text_with(x, y, s, &font.attrs(), class);
    }

    fn text_with(&mut self, x: f64, y: f64, s: &str, attrs: &str, class: Option<&str>) {
        let _ = write!(
            self.out,
            "<text x=\"{}\" y=\"{}\"{attrs}",
            coord(x),
            coord(y)
        );
        if let Some(c) = class {
            let _ = write!(self.out, " class=\"{c}\"");
        }
        let _ = writeln!(self.out, ">{}</text>", esc(s));
    }

    /// Texts that share `attrs` (and their class, when all have the same):
    /// a group carries what they share, each text only its position.
    fn texts(&mut self, attrs: &str, labels: &[Label]) {
        match labels {
            [] => {}
            [l] => self.text_with(l.x, l.y, &l.text, attrs, l.class),
            [first, ..] => {
                let shared = first
                    .class
                    .filter(|c| labels.iter().all(|l| l.class == Some(*c)));
                let _ = write!(self.out, "<g{attrs}");
                if let Some(c) = shared {
                    let _ = write!(self.out, " class=\"{c}\"");
                }
                self.out.push_str(">\n");
                for l in labels {
                    let class = if shared.is_some() { None } else { l.class };
                    self.text_with(l.x, l.y, &l.text, "", class);
                }
                self.out.push_str("</g>\n");
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn line(
        &mut self,
        x1: f64,
        y1: f64,
        x2: f64,
        y2: f64,
        stroke: &str,
        width: f64,
        dash: Option<&str>,
        class: Option<&str>,
    ) {
        let _ = write!(
            self.out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{stroke}\"",
            coord(x1),
            coord(y1),
            coord(x2),
            coord(y2)
        );
        if width != 1.0 {
            let _ = write!(self.out, " stroke-width=\"{width}\"");
        }
        if let Some(d) = dash {
            let _ = write!(self.out, " stroke-dasharray=\"{d}\"");
        }
        if let Some(c) = class {
            let _ = write!(self.out, " class=\"{c}\"");
        }
        self.out.push_str("/>\n");
    }

    /// Hairlines of one kind (ticks, grid lines, row guides) as one path.
    fn rules(&mut self, d: &PathData, stroke: &str, class: Option<&str>) {
        if d.is_empty() {
            return;
        }
        let _ = write!(
            self.out,
            "<path d=\"{}\" fill=\"none\" stroke=\"{stroke}\"",
            d.d
        );
        if let Some(c) = class {
            let _ = write!(self.out, " class=\"{c}\"");
        }
        self.out.push_str("/>\n");
    }

    /// Markers of one series: the group carries the colour. Filled squares,
    /// triangles and diamonds that lie apart share one path; a marker that
    /// would touch one already in the path starts a new one, so overlapping
    /// markers are still painted one over the other, edges included. A
    /// provisional (hollow) marker is an element of its own with only what
    /// differs, drawn in turn.
    fn markers(&mut self, shape: usize, colour: &str, scale: f64, points: &[(f64, f64, bool)]) {
        if points.is_empty() {
            return;
        }
        let _ = writeln!(
            self.out,
            "<g fill=\"{colour}\" stroke=\"{colour}\" class=\"markers\">"
        );
        let r = 3.6 * scale;
        let shape = shape % 4;
        // Half the extent of a marker, with its stroke and a pixel of
        // antialiasing at 1×.
        let reach = match shape {
            1 => 0.9,
            2 => 1.2,
            _ => 1.3,
        } * r
            + 1.5;
        let mut filled = PathData::default();
        let mut in_path: Vec<(f64, f64)> = Vec::new();
        for &(x, y, hollow) in points {
            let style = if hollow {
                " fill=\"#ffffff\" stroke-width=\"1.8\""
            } else {
                ""
            };
            if shape == 0 {
                let _ = writeln!(
                    self.out,
                    "<circle cx=\"{}\" cy=\"{}\" r=\"{}\"{style}/>",
                    coord(x),
                    coord(y),
                    coord(r)
                );
                continue;
            }
            let touches = in_path
                .iter()
                .any(|(px, py)| (x - px).abs() < 2.0 * reach && (y - py).abs() < 2.0 * reach);
            if hollow || touches {
                // Drawn over the filled markers before it, as it always was.
                self.filled_markers(&mut filled);
                in_path.clear();
            }
            let mut own = PathData::default();
            let d = if hollow { &mut own } else { &mut filled };
            match shape {
                1 => {
                    d.move_to(x - r * 0.9, y - r * 0.9);
                    d.line_by(r * 1.8, 0.0);
                    d.line_by(0.0, r * 1.8);
                    d.line_by(-(r * 1.8), 0.0);
                }
                2 => {
                    d.move_to(x, y - r * 1.2);
                    d.line_to(x + r * 1.1, y + r * 0.8);
                    d.line_to(x - r * 1.1, y + r * 0.8);
                }
                _ => {
                    d.move_to(x, y - r * 1.3);
                    d.line_to(x + r * 1.3, y);
                    d.line_to(x, y + r * 1.3);
                    d.line_to(x - r * 1.3, y);
                }
            }
            d.close();
            if hollow {
                let _ = writeln!(self.out, "<path d=\"{}\"{style}/>", own.d);
            } else {
                in_path.push((x, y));
            }
        }
        self.filled_markers(&mut filled);
        self.out.push_str("</g>\n");
    }

    fn filled_markers(&mut self, d: &mut PathData) {
        if !d.is_empty() {
            let _ = writeln!(self.out, "<path d=\"{}\"/>", std::mem::take(d).d);
        }
    }
}

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

    let mut out = String::with_capacity(body.out.len() + 1024);
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"{s}-title {s}-desc\" font-family=\"DejaVu Sans, Verdana, sans-serif\" fill=\"{INK}\">",
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
    out.push_str(&body.out);
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

/// A text's box: left, top, right, bottom.
type Rect = (f64, f64, f64, f64);
/// A drawn line segment.
type Seg = ((f64, f64), (f64, f64));

/// What is already drawn in a plot: texts and data lines. Labels that may
/// move (breaks, provisional, the reference) take the first free place, so
/// no text covers another or sits on a data line.
#[derive(Default)]
struct Taken {
    boxes: Vec<Rect>,
    segs: Vec<Seg>,
    /// Drawn areas a label must not cover either: the bars of a bar chart.
    solids: Vec<Rect>,
}

/// The box of a text drawn at `(x, y)` with `anchor`.
fn text_box(x: f64, y: f64, text: &str, size: f64, bold: bool, anchor: &str) -> Rect {
    let w = text_width(text, size, bold);
    let x0 = match anchor {
        "middle" => x - w / 2.0,
        "end" => x - w,
        _ => x,
    };
    (x0, y - 0.76 * size, x0 + w, y + 0.24 * size)
}

/// Whether a segment passes through a box `(x0, y0, x1, y1)` (Liang–Barsky
/// clipping). Public for the layout test, which checks drawn charts with the
/// same geometry.
pub fn seg_crosses(((x1, y1), (x2, y2)): Seg, (bx0, by0, bx1, by1): Rect) -> bool {
    let (dx, dy) = (x2 - x1, y2 - y1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, x1 - bx0),
        (dx, bx1 - x1),
        (-dy, y1 - by0),
        (dy, by1 - y1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return false;
            }
        } else if p < 0.0 {
            t0 = t0.max(q / p);
        } else {
            t1 = t1.min(q / p);
        }
    }
    t0 <= t1
}

impl Taken {
    /// Free of every text (with a margin) and every data line.
    fn is_free(&self, b: Rect, within: Rect) -> bool {
        self.is_clear_of_texts(b, within)
            && !self.segs.iter().any(|s| seg_crosses(*s, b))
            && !self
                .solids
                .iter()
                .any(|o| b.0 < o.2 && o.0 < b.2 && b.1 < o.3 && o.1 < b.3)
    }

    /// Inside `within` and clear of every text (a label with a halo may
    /// cross a line where no place is free of both).
    fn is_clear_of_texts(&self, b: Rect, within: Rect) -> bool {
        let m = 1.5;
        b.0 >= within.0
            && b.2 <= within.2
            && b.1 >= within.1
            && b.3 <= within.3
            && !self
                .boxes
                .iter()
                .any(|o| b.0 < o.2 + m && o.0 < b.2 + m && b.1 < o.3 + m && o.1 < b.3 + m)
    }

    /// The one rule every movable label of a plot follows: the first of
    /// `spots` (in order of preference: place and wording) that is free of
    /// every text and every data line; failing that, the first clear of
    /// texts (a label with a halo may cross a line where no place is free
    /// of both); failing that, `spots[fallback]`. The chosen place is taken.
    fn place<'s>(
        &mut self,
        size: f64,
        bold: bool,
        spots: &[Spot<'s>],
        fallback: usize,
    ) -> Spot<'s> {
        let bx = |s: &Spot| text_box(s.x, s.y, &s.text, size, bold, s.anchor);
        let chosen = spots
            .iter()
            .find(|s| self.is_free(bx(s), s.within))
            .or_else(|| {
                spots
                    .iter()
                    .find(|s| self.is_clear_of_texts(bx(s), s.within))
            })
            .unwrap_or(&spots[fallback])
            .clone();
        self.boxes.push(bx(&chosen));
        chosen
    }
}

/// A place a label may take: where, anchored how, in which wording, and
/// the area it must stay inside.
#[derive(Debug, Clone)]
struct Spot<'s> {
    x: f64,
    y: f64,
    anchor: &'static str,
    text: std::borrow::Cow<'s, str>,
    within: Rect,
}

impl<'s> Spot<'s> {
    fn new(x: f64, y: f64, anchor: &'static str, text: &'s str, within: Rect) -> Spot<'s> {
        Spot {
            x,
            y,
            anchor,
            text: text.into(),
            within,
        }
    }
}

/// The rows above a series' own that its marks may move up to, where
/// marks of neighbouring periods crowd a narrow layout.
const MARK_ROWS: usize = 6;

/// Where a series' marks go: its row above the axis of a plot whose
/// periods are `band` apart.
#[derive(Clone, Copy)]
struct MarkRow {
    bottom: f64,
    band: f64,
    row: usize,
}

/// The marks of a series' missing, withheld and uncomputable periods (H3,
/// H9), placed in `taken` by the rule every label follows. They sit at the
/// axis, on the series' own row, never at a height between neighbours that
/// would hint at a value. A run of periods with the same mark is one label,
/// naming its periods where that fits over the run (`<5, K1 2019–K3 2024`),
/// else the mark alone (the periods are in the limitations). Where another
/// label holds its place (marks of neighbouring periods in a narrow
/// layout), a mark moves up a row.
fn gap_marks(
    chart: &Chart,
    line: &Line,
    x: &dyn Fn(usize) -> f64,
    at: MarkRow,
    plot_area: Rect,
    taken: &mut Taken,
) -> Vec<Label<'static>> {
    let lang = chart.lang;
    let cells = &line.cells;
    let n = cells.len();
    let class = |c: Cell| match c {
        Cell::Num(..) => None,
        c if c.is_withheld() => Some("suppressed"),
        Cell::Uncomputable => Some("uncomputable"),
        _ => Some("gap"),
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < n {
        let Some(kind) = class(cells[i]) else {
            i += 1;
            continue;
        };
        let mark = cells[i].display(line.format_unit, lang);
        let mut end = i;
        while end + 1 < n
            && class(cells[end + 1]) == Some(kind)
            && cells[end + 1].display(line.format_unit, lang) == mark
        {
            end += 1;
        }
        let named = format!(
            "{mark}, {}",
            crate::format::span_short(chart.periods[i], chart.periods[end], lang)
        );
        let cx = (x(i) + x(end)) / 2.0;
        // A quarter of a period's room on either side of the run.
        let over_run: Rect = (
            x(i) - at.band / 4.0,
            plot_area.1,
            x(end) + at.band / 4.0,
            plot_area.3,
        );
        let mut spots = Vec::new();
        for up in 0..MARK_ROWS {
            let y = at.bottom - 8.0 - 16.0 * (at.row + up) as f64;
            if end > i {
                spots.push(Spot::new(cx, y, "middle", &named, over_run));
            }
            spots.push(Spot::new(cx, y, "middle", &mark, plot_area));
        }
        let spot = taken.place(SMALL_SIZE, true, &spots, usize::from(end > i));
        out.push(label(spot.x, spot.y, spot.text.into_owned(), Some(kind)));
        i = end + 1;
    }
    out
}

/// The bars a bar chart draws for `panel`, `bw` wide, as boxes.
fn panel_bars(
    chart: &Chart,
    panel: &Panel,
    x: &dyn Fn(usize) -> f64,
    yv: &dyn Fn(f64) -> f64,
    bw: f64,
    bottom: f64,
) -> Vec<Rect> {
    if !panel.bars {
        return Vec::new();
    }
    panel
        .lines
        .iter()
        .flat_map(|li| chart.lines[*li].cells.iter().enumerate())
        .filter_map(|(i, c)| Some((x(i) - bw / 2.0, yv(c.number()?), x(i) + bw / 2.0, bottom)))
        .collect()
}

/// The segments a line chart draws for `panel`, as `draw_panel` joins them.
fn panel_segments(
    chart: &Chart,
    panel: &Panel,
    x: &dyn Fn(usize) -> f64,
    yv: &dyn Fn(f64) -> f64,
) -> Vec<Seg> {
    let mut out = Vec::new();
    if panel.bars {
        return out;
    }
    for li in &panel.lines {
        let line = &chart.lines[*li];
        for i in 1..chart.periods.len() {
            let (Some(a), Some(b)) = (line.cells[i - 1].number(), line.cells[i].number()) else {
                continue;
            };
            if line.breaks.contains(&chart.periods[i]) {
                continue;
            }
            out.push(((x(i - 1), yv(a)), (x(i), yv(b))));
        }
    }
    out
}

#[allow(clippy::too_many_arguments, clippy::needless_range_loop)]
fn draw_panel(
    chart: &Chart,
    panel: &Panel,
    colours: &[usize],
    svg: &mut Svg,
    left: f64,
    right: f64,
    top: f64,
    h: f64,
) -> f64 {
    let lang = chart.lang;
    let n = chart.periods.len();
    let plot_w = right - left;
    let band = plot_w / n as f64;
    let x = |i: usize| left + (i as f64 + 0.5) * band;
    let bottom = top + h;
    let (step, ymax) = ticks(panel_max(chart, panel));
    let yv = |v: f64| bottom - v / ymax * h;
    let dec = decimals(step);

    // Grid and y axis from zero (H1).
    let count = (ymax / step).round() as usize;
    let mut grid = PathData::default();
    let mut yticks = Vec::new();
    for k in 0..=count {
        let v = step * k as f64;
        let yy = yv(v);
        if k > 0 {
            grid.move_to(left, yy);
            grid.line_to(right, yy);
        }
        yticks.push(label(
            left - 6.0,
            yy + 4.5,
            format::number(v, dec, lang),
            Some("ytick"),
        ));
    }
    svg.rules(&grid, "#e3e3e3", Some("grid"));
    svg.texts(&font(SMALL_SIZE, INK2).anchor("end").attrs(), &yticks);
    // A bar is this share of its period's band.
    let bw = band * 0.68;
    let mut taken = Taken {
        segs: panel_segments(chart, panel, &x, &yv),
        ..Taken::default()
    };
    // Labels inside the plot stay inside it.
    let plot_area: Rect = (left, top - 6.0, right, bottom - 1.0);
    // The marks of every series are placed first: they belong at their
    // periods, and every other label keeps clear of them. A mark of the
    // first or last period may reach a little past the plot's edge, short
    // of the y axis labels and the end labels.
    let marks_area: Rect = (left - 4.0, plot_area.1, right + 12.0, plot_area.3);
    let marks: Vec<Vec<Label>> = panel
        .lines
        .iter()
        .enumerate()
        .map(|(k, li)| {
            let at = MarkRow {
                bottom,
                band,
                row: k,
            };
            gap_marks(chart, &chart.lines[*li], &x, at, marks_area, &mut taken)
        })
        .collect();
    // Labels placed from here on keep off the bars too. Marks do not: they
    // stay at their period's place on the axis, even where a mark wider
    // than its period reaches over a neighbouring bar (its halo keeps it
    // readable); rising above the bar would suggest a value.
    taken.solids = panel_bars(chart, panel, &x, &yv, bw, bottom);

    // Reference line: index base or full capacity (its label comes after the data).
    if let Some((v, _)) = &panel.reference {
        let yy = yv(*v);
        svg.line(
            left,
            yy,
            right,
            yy,
            "#4d4d4d",
            1.2,
            Some("6 4"),
            Some("reference"),
        );
    }

    // X axis labels: as many periods as fit, on whole years when crowded.
    let labels: Vec<String> = chart
        .periods
        .iter()
        .map(|p| format::period_short(*p, lang))
        .collect();
    let label_w = labels
        .iter()
        .map(|l| text_width(l, SMALL_SIZE, false))
        .fold(0.0, f64::max)
        + 10.0;
    let quarterly = chart.periods[0].is_quarter();
    let mut shown: Vec<usize> = (0..n).collect();
    if n as f64 * label_w > plot_w {
        let starts: Vec<usize> = (0..n)
            .filter(|i| {
                !quarterly
                    || matches!(
                        chart.periods[*i],
                        crate::data::Period::Quarter { quarter: 1, .. }
                    )
            })
            .collect();
        let mut every = 1;
        loop {
            let pick: Vec<usize> = starts.iter().copied().step_by(every).collect();
            let spacing = band * (if quarterly { 4.0 } else { 1.0 }) * every as f64;
            if spacing >= label_w || pick.len() <= 1 {
                shown = pick;
                break;
            }
            every += 1;
        }
    }
    // One tick mark per period, all in one path.
    let mut tick_marks = PathData::default();
    for i in 0..n {
        tick_marks.move_to(x(i), bottom);
        tick_marks.line_to(x(i), bottom + 4.0);
    }
    svg.rules(&tick_marks, "#8c8c8c", Some("ticks"));
    let xticks: Vec<Label> = shown
        .into_iter()
        .map(|i| label(x(i), bottom + 19.0, labels[i].as_str(), Some("xtick")))
        .collect();
    svg.texts(&font(SMALL_SIZE, INK2).anchor("middle").attrs(), &xticks);

    // Series breaks: a dashed vertical line with its marker (H3).
    for b in &chart.breaks {
        let in_panel = panel
            .lines
            .iter()
            .any(|i| chart.lines[*i].breaks.contains(&b.period));
        let Some(i) = chart.periods.iter().position(|p| *p == b.period) else {
            continue;
        };
        if !in_panel || i == 0 {
            continue;
        }
        let bx = (x(i - 1) + x(i)) / 2.0;
        svg.line(
            bx,
            top - 4.0,
            bx,
            bottom,
            "#1a1a1a",
            1.2,
            Some("3 3"),
            Some("break"),
        );
        let spots: Vec<Spot> = (0..8)
            .flat_map(|k| {
                let y = top + 10.0 + 16.0 * k as f64;
                [
                    Spot::new(bx + 4.0, y, "start", &b.marker, plot_area),
                    Spot::new(bx - 4.0, y, "end", &b.marker, plot_area),
                ]
            })
            .collect();
        let at = taken.place(SMALL_SIZE, true, &spots, 0);
        svg.text(
            at.x,
            at.y,
            &b.marker,
            font(SMALL_SIZE, INK).bold(true).halo().anchor(at.anchor),
            Some("break-marker"),
        );
    }

    // Data.
    let mut end_labels: Vec<(f64, Vec<String>, &str)> = Vec::new();
    let mut provisional_labelled = false;
    for (k, li) in panel.lines.iter().enumerate() {
        let line: &Line = &chart.lines[*li];
        let (stroke, ink) = PALETTE[colours[*li] % PALETTE.len()];
        let shape = colours[*li];
        let cells = &line.cells;
        let num = |i: usize| cells[i].number();
        if panel.bars {
            let mut bars = String::new();
            for i in 0..n {
                if let Some(v) = num(i) {
                    let yy = yv(v);
                    let provisional = if cells[i].is_provisional() {
                        " fill=\"#ffffff\" stroke-dasharray=\"4 2\""
                    } else {
                        ""
                    };
                    let _ = writeln!(
                        bars,
                        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"{provisional}/>",
                        coord(x(i) - bw / 2.0),
                        coord(yy),
                        coord(bw),
                        coord(bottom - yy)
                    );
                }
            }
            if !bars.is_empty() {
                let _ = write!(
                    svg.out,
                    "<g fill=\"{stroke}\" stroke=\"{stroke}\" stroke-width=\"1.5\" class=\"bars\">\n{bars}</g>\n"
                );
            }
        } else {
            // Solid segments that meet are one polyline; each provisional
            // segment is its own subpath, so its dash pattern starts afresh.
            let mut solid = PathData::default();
            let mut dashed = PathData::default();
            for i in 1..n {
                let (Some(a), Some(b)) = (num(i - 1), num(i)) else {
                    continue;
                };
                if line.breaks.contains(&chart.periods[i]) {
                    continue;
                }
                let (from, to) = ((x(i - 1), yv(a)), (x(i), yv(b)));
                if cells[i - 1].is_provisional() || cells[i].is_provisional() {
                    dashed.move_to(from.0, from.1);
                    dashed.line_to(to.0, to.1);
                } else {
                    let start = (coord(from.0).0, coord(from.1).0);
                    if solid.is_empty() || solid.at != start {
                        solid.move_to(from.0, from.1);
                    }
                    solid.line_to(to.0, to.1);
                }
            }
            if !solid.is_empty() {
                let _ = writeln!(
                    svg.out,
                    "<path d=\"{}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"2.5\" stroke-linejoin=\"round\" stroke-linecap=\"round\" class=\"series\"/>",
                    solid.d
                );
            }
            if !dashed.is_empty() {
                let _ = writeln!(
                    svg.out,
                    "<path d=\"{}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"2.5\" stroke-dasharray=\"6 4\" class=\"series provisional\"/>",
                    dashed.d
                );
            }
            // On a long series a marker on every point is clutter (and most
            // of the file): markers go where the line alone would not say
            // enough. The ends of every run of joined points (so where data
            // starts, stops or breaks is visible), a point standing alone,
            // and every provisional point (hollow, H3). A short series keeps
            // a marker on every point.
            let joined = |i: usize| {
                i > 0
                    && i < n
                    && num(i - 1).is_some()
                    && num(i).is_some()
                    && !line.breaks.contains(&chart.periods[i])
            };
            let points: Vec<(f64, f64, bool)> = (0..n)
                .filter(|&i| {
                    n <= DENSE_SERIES || cells[i].is_provisional() || !(joined(i) && joined(i + 1))
                })
                .filter_map(|i| num(i).map(|v| (x(i), yv(v), cells[i].is_provisional())))
                .collect();
            svg.markers(shape, stroke, 1.0, &points);
        }
        // Marked gaps: suppressed, symbols, missing, uncomputable (H3, H9),
        // placed before the data (see `gap_marks`).
        let marks = &marks[k];
        svg.texts(
            &font(SMALL_SIZE, ink)
                .anchor("middle")
                .bold(true)
                .halo()
                .attrs(),
            marks,
        );
        // Provisional: labelled once per panel.
        if !provisional_labelled && let Some(i) = (0..n).rev().find(|i| cells[*i].is_provisional())
        {
            provisional_labelled = true;
            let v = num(i).unwrap_or(0.0);
            let label = lang.words().provisional;
            // Near the point, off every line and every other text: above
            // or below it, then further away; where lines crowd it, the
            // free place nearest to it anywhere in the plot (the point is
            // hollow and the footer names the period, so the label still
            // reads).
            let (px, py) = (x(i), yv(v));
            let mut spots = Vec::new();
            for d in [14.0, 26.0, 40.0, 56.0, 74.0, 96.0, 120.0] {
                for (dy, anchor, dx) in [
                    (-d, "end", 6.0),
                    (d + 10.0, "end", 6.0),
                    (-d, "middle", 0.0),
                    (d + 10.0, "middle", 0.0),
                    (-d, "end", -30.0),
                    (d + 10.0, "end", -30.0),
                ] {
                    spots.push(Spot::new(px + dx, py + dy, anchor, label, plot_area));
                }
            }
            let mut far: Vec<Spot> = (0..=(h / 8.0) as usize)
                .flat_map(|r| {
                    let y = top + 8.0 + 8.0 * r as f64;
                    (0..=20).map(move |c| (left + plot_w * c as f64 / 20.0, y))
                })
                .map(|(fx, fy)| Spot::new(fx, fy, "end", label, plot_area))
                .collect();
            far.sort_by(|a, b| {
                let d = |s: &Spot| (s.x - px).powi(2) + (s.y - py).powi(2);
                d(a).total_cmp(&d(b))
            });
            spots.extend(far);
            let at = taken.place(SMALL_SIZE, false, &spots, 0);
            svg.text(
                at.x,
                at.y,
                label,
                font(SMALL_SIZE, INK2).anchor(at.anchor).halo(),
                Some("provisional-label"),
            );
        }
        // Direct label at the line end (H4).
        if let Some(i) = (0..n).rev().find(|i| num(*i).is_some()) {
            end_labels.push((
                yv(num(i).unwrap_or(0.0)),
                wrap(&line.label, SMALL_SIZE, true, END_LABEL_MAX),
                ink,
            ));
        }
    }
    // Keep end labels apart.
    end_labels.sort_by(|a, b| a.0.total_cmp(&b.0));
    let lh = SMALL_SIZE * 1.2;
    let mut next_free = f64::MIN;
    let mut placed: Vec<(f64, Vec<String>, &str)> = Vec::new();
    for (yy, lines, ink) in end_labels {
        let height = lh * lines.len() as f64;
        let mut top_y = (yy - height / 2.0).max(next_free);
        top_y = top_y.max(top - 6.0);
        next_free = top_y + height + 2.0;
        placed.push((top_y, lines, ink));
    }
    // If the last label runs below the plot, shift the stack up.
    if let Some(last) = placed.last() {
        let overflow = last.0 + lh * last.1.len() as f64 - (bottom + 6.0);
        if overflow > 0.0 {
            for p in &mut placed {
                p.0 -= overflow;
            }
        }
    }
    for (top_y, lines, ink) in placed {
        let labels: Vec<Label> = lines
            .into_iter()
            .enumerate()
            .map(|(j, l)| {
                label(
                    right + 8.0,
                    top_y + lh * (j as f64 + 0.8),
                    l,
                    Some("end-label"),
                )
            })
            .collect();
        svg.texts(&font(SMALL_SIZE, ink).bold(true).attrs(), &labels);
    }
    // The reference label where the fewest data points are.
    if let Some((v, label)) = &panel.reference {
        let yy = yv(*v);
        let w = text_width(label, SMALL_SIZE, false);
        let candidates = [
            (left + 4.0, yy + 16.0, "start"),
            (left + 4.0, yy - 6.0, "start"),
            (right - 4.0, yy + 16.0, "end"),
            (right - 4.0, yy - 6.0, "end"),
        ];
        let crowded = |(lx, ly, anchor): (f64, f64, &str)| {
            let (x0, x1) = if anchor == "start" {
                (lx, lx + w)
            } else {
                (lx - w, lx)
            };
            let mut count = 0;
            for li in &panel.lines {
                for (i, c) in chart.lines[*li].cells.iter().enumerate() {
                    if let Some(n) = c.number() {
                        let (px, py) = (x(i), yv(n));
                        if px >= x0 - 6.0 && px <= x1 + 6.0 && py >= ly - 18.0 && py <= ly + 6.0 {
                            count += 1;
                        }
                    }
                }
            }
            count
        };
        // The first place free of lines and texts; failing that, the one
        // with the fewest data points near it.
        // Along the line first; where data crowds it, a little away from
        // it (the label names its value, so it still reads).
        let mut more = candidates.to_vec();
        for dy in [16.0, -6.0, 32.0, -22.0, 48.0, -38.0, 64.0, -54.0] {
            for k in 1..10 {
                let mx = left + plot_w * k as f64 / 10.0;
                more.push((mx, yy + dy, "middle"));
            }
        }
        let spots: Vec<Spot> = more
            .iter()
            .map(|&(x, y, anchor)| Spot::new(x, y, anchor, label, plot_area))
            .collect();
        let least_crowded = (0..candidates.len())
            .min_by_key(|k| crowded(candidates[*k]))
            .unwrap_or(0);
        let at = taken.place(SMALL_SIZE, false, &spots, least_crowded);
        svg.text(
            at.x,
            at.y,
            label,
            font(SMALL_SIZE, INK2).anchor(at.anchor).halo(),
            Some("reference-label"),
        );
    }
    // The zero baseline, drawn last so nothing covers it.
    svg.line(
        left,
        bottom,
        right,
        bottom,
        INK,
        1.5,
        None,
        Some("baseline"),
    );
    bottom + 26.0
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::chart::model::{CompareRow, Panel};
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
            drawings: None,
            fingerprint: Default::default(),
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
}
