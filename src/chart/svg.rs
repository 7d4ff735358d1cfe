//! Drawing a resolved chart as a self-contained SVG document (H1–H5).

use std::fmt::Write as _;
use std::sync::Once;

use plotters::style::{FontDesc, FontFamily, FontStyle};

use crate::chart::model::{Cell, Chart, Line, Panel};
use crate::chart::spec::ChartType;
use crate::chart::texts::t;
use crate::chart::{FONT_BOLD, FONT_REGULAR};
use crate::format;

/// The width of a chart, in SVG user units (it scales through `viewBox`).
pub const WIDTH: f64 = 640.0;
/// The width of the phone layout: drawn for a narrow screen rather than
/// shrunk, so its text stays readable at 360 CSS pixels.
pub const NARROW_WIDTH: f64 = 400.0;
const PAD: f64 = 16.0;
const TITLE_SIZE: f64 = 20.0;
const TEXT_SIZE: f64 = 14.0;
const SMALL_SIZE: f64 = 13.0;
const FOOTER_SIZE: f64 = 13.0;
/// Body text colour: 16:1 on white.
const INK: &str = "#1a1a1a";
/// Secondary text: 7:1 on white.
const INK2: &str = "#4d4d4d";

/// Okabe-Ito colours for lines and marks, with a darker shade of each for
/// text (≥ 4.5:1 on white). No red/green (H4).
const PALETTE: [(&str, &str); 5] = [
    ("#0072B2", "#0072B2"),
    ("#E69F00", "#8A5A00"),
    ("#CC79A7", "#9A3F73"),
    ("#56B4E9", "#1C6A96"),
    ("#555555", "#555555"),
];

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
pub(crate) fn text_width(text: &str, size: f64, bold: bool) -> f64 {
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

/// Escapes text for XML content and attribute values.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Not allowed anywhere in XML 1.0, even escaped: a control
            // character in a name from the data would make the file unreadable.
            c if !crate::text::is_xml_char(c) => {}
            c => out.push(c),
        }
    }
    out
}

struct Svg {
    out: String,
}

impl Svg {
    #[allow(clippy::too_many_arguments)]
    fn text(
        &mut self,
        x: f64,
        y: f64,
        s: &str,
        size: f64,
        fill: &str,
        anchor: &str,
        bold: bool,
        class: Option<&str>,
    ) {
        let _ = write!(
            self.out,
            "<text x=\"{x:.1}\" y=\"{y:.1}\" font-size=\"{size}\""
        );
        if fill != INK {
            let _ = write!(self.out, " fill=\"{fill}\"");
        }
        if anchor != "start" {
            let _ = write!(self.out, " text-anchor=\"{anchor}\"");
        }
        if bold {
            self.out.push_str(" font-weight=\"bold\"");
        }
        if matches!(
            class,
            Some(
                "reference-label"
                    | "provisional-label"
                    | "suppressed"
                    | "gap"
                    | "uncomputable"
                    | "break-marker"
            )
        ) {
            // A white halo keeps labels readable where they cross lines.
            self.out.push_str(" stroke=\"#ffffff\" stroke-width=\"4\" stroke-linejoin=\"round\" paint-order=\"stroke\"");
        }
        if let Some(c) = class {
            let _ = write!(self.out, " class=\"{c}\"");
        }
        let _ = writeln!(self.out, ">{}</text>", esc(s));
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
            "<line x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\" stroke=\"{stroke}\" stroke-width=\"{width}\""
        );
        if let Some(d) = dash {
            let _ = write!(self.out, " stroke-dasharray=\"{d}\"");
        }
        if let Some(c) = class {
            let _ = write!(self.out, " class=\"{c}\"");
        }
        self.out.push_str("/>\n");
    }

    fn marker(&mut self, shape: usize, x: f64, y: f64, colour: &str, hollow: bool, scale: f64) {
        let fill = if hollow { "#ffffff" } else { colour };
        let style = format!(
            "fill=\"{fill}\" stroke=\"{colour}\" stroke-width=\"{}\"",
            if hollow { 1.8 } else { 1.0 }
        );
        let r = 3.6 * scale;
        let _ = match shape % 4 {
            0 => writeln!(
                self.out,
                "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r:.1}\" {style}/>"
            ),
            1 => writeln!(
                self.out,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" {style}/>",
                x - r * 0.9,
                y - r * 0.9,
                r * 1.8,
                r * 1.8
            ),
            2 => writeln!(
                self.out,
                "<path d=\"M{x:.1} {:.1}L{:.1} {:.1}L{:.1} {:.1}Z\" {style}/>",
                y - r * 1.2,
                x + r * 1.1,
                y + r * 0.8,
                x - r * 1.1,
                y + r * 0.8
            ),
            _ => writeln!(
                self.out,
                "<path d=\"M{x:.1} {:.1}L{:.1} {y:.1}L{x:.1} {:.1}L{:.1} {y:.1}Z\" {style}/>",
                y - r * 1.3,
                x + r * 1.3,
                y + r * 1.3,
                x - r * 1.3
            ),
        };
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
    let lang = chart.lang;
    let mut body = Svg { out: String::new() };
    // Text wraps a little inside the right margin: viewers substitute
    // fonts whose glyphs run slightly wider than the measured DejaVu Sans.
    let inner = width - 2.0 * PAD - 10.0;
    let mut y = PAD;

    // Title and subtitle: what is measured, the unit, the periods (H5).
    for l in wrap(&chart.title, TITLE_SIZE, true, inner) {
        y += TITLE_SIZE * 1.2;
        body.text(PAD, y, &l, TITLE_SIZE, INK, "start", true, Some("title"));
    }
    y += 4.0;
    for l in wrap(&chart.subtitle, TEXT_SIZE, false, inner) {
        y += TEXT_SIZE * 1.35;
        body.text(
            PAD,
            y,
            &l,
            TEXT_SIZE,
            INK2,
            "start",
            false,
            Some("subtitle"),
        );
    }
    y += 14.0;

    if chart.chart_type == ChartType::Compare {
        y = draw_compare(chart, &mut body, y, width);
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
                    TEXT_SIZE,
                    INK,
                    "start",
                    true,
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
    let mut paragraphs: Vec<(String, Option<&str>)> =
        vec![(chart.source_line.clone(), Some("source"))];
    for l in &chart.limitations {
        paragraphs.push((format!("• {l}"), Some("limitation")));
    }
    paragraphs.push((
        format!(
            "{}: {}",
            t(lang, "Permanent adress", "Permanent address"),
            chart.permalink
        ),
        Some("permalink"),
    ));
    for (text, class) in paragraphs {
        for l in wrap(&text, FOOTER_SIZE, false, inner) {
            y += lh;
            body.text(PAD, y, &l, FOOTER_SIZE, "#333333", "start", false, class);
        }
        y += 3.0;
    }
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
    out.push_str("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
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

fn end_label_width(chart: &Chart) -> f64 {
    let w = chart
        .lines
        .iter()
        .filter(|l| l.plotted)
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
    for k in 0..=count {
        let v = step * k as f64;
        let yy = yv(v);
        if k > 0 {
            svg.line(left, yy, right, yy, "#e3e3e3", 1.0, None, Some("grid"));
        }
        svg.text(
            left - 6.0,
            yy + 4.5,
            &format::number(v, dec, lang),
            SMALL_SIZE,
            INK2,
            "end",
            false,
            Some("ytick"),
        );
    }

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
    for i in 0..n {
        svg.line(x(i), bottom, x(i), bottom + 4.0, "#8c8c8c", 1.0, None, None);
    }
    for i in shown {
        svg.text(
            x(i),
            bottom + 19.0,
            &labels[i],
            SMALL_SIZE,
            INK2,
            "middle",
            false,
            Some("xtick"),
        );
    }

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
        svg.text(
            bx + 4.0,
            top + 10.0,
            &b.marker,
            SMALL_SIZE,
            INK,
            "start",
            true,
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
            let bw = band * 0.68;
            for i in 0..n {
                if let Some(v) = num(i) {
                    let yy = yv(v);
                    let (fill, extra) = if cells[i].is_provisional() {
                        ("#ffffff", " stroke-dasharray=\"4 2\"")
                    } else {
                        (stroke, "")
                    };
                    let _ = writeln!(
                        svg.out,
                        "<rect x=\"{:.1}\" y=\"{yy:.1}\" width=\"{bw:.1}\" height=\"{:.1}\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1.5\"{extra}/>",
                        x(i) - bw / 2.0,
                        bottom - yy
                    );
                }
            }
        } else {
            let mut solid = String::new();
            let mut dashed = String::new();
            for i in 1..n {
                let (Some(a), Some(b)) = (num(i - 1), num(i)) else {
                    continue;
                };
                if line.breaks.contains(&chart.periods[i]) {
                    continue;
                }
                let seg = if cells[i - 1].is_provisional() || cells[i].is_provisional() {
                    &mut dashed
                } else {
                    &mut solid
                };
                let _ = write!(
                    seg,
                    "M{:.1} {:.1}L{:.1} {:.1}",
                    x(i - 1),
                    yv(a),
                    x(i),
                    yv(b)
                );
            }
            if !solid.is_empty() {
                let _ = writeln!(
                    svg.out,
                    "<path d=\"{solid}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"2.5\" stroke-linejoin=\"round\" stroke-linecap=\"round\" class=\"series\"/>"
                );
            }
            if !dashed.is_empty() {
                let _ = writeln!(
                    svg.out,
                    "<path d=\"{dashed}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"2.5\" stroke-dasharray=\"6 4\" class=\"series provisional\"/>"
                );
            }
            for i in 0..n {
                if let Some(v) = num(i) {
                    svg.marker(shape, x(i), yv(v), stroke, cells[i].is_provisional(), 1.0);
                }
            }
        }
        // Marked gaps: suppressed, symbols, missing, uncomputable (H3, H9).
        for i in 0..n {
            let mark = match cells[i] {
                Cell::Num(..) => continue,
                c => c.display(line.format_unit, lang),
            };
            let neighbours: Vec<f64> = [i.checked_sub(1), Some(i + 1)]
                .into_iter()
                .flatten()
                .filter(|j| *j < n)
                .filter_map(num)
                .collect();
            let yy = if panel.bars || neighbours.is_empty() {
                bottom - 8.0 - 16.0 * k as f64
            } else {
                yv(neighbours.iter().sum::<f64>() / neighbours.len() as f64) + 4.0
            };
            let class = match cells[i] {
                Cell::Suppressed { .. } => "suppressed",
                Cell::Uncomputable => "uncomputable",
                _ => "gap",
            };
            svg.text(
                x(i),
                yy,
                &mark,
                SMALL_SIZE,
                ink,
                "middle",
                true,
                Some(class),
            );
        }
        // Provisional: labelled once per panel.
        if !provisional_labelled && let Some(i) = (0..n).rev().find(|i| cells[*i].is_provisional())
        {
            provisional_labelled = true;
            let v = num(i).unwrap_or(0.0);
            let label = t(lang, "preliminärt", "provisional");
            let anchor = if x(i) > left + plot_w * 0.75 {
                "end"
            } else {
                "middle"
            };
            // Above the point, or below it when the point is near the top.
            let ly = if yv(v) - 16.0 < top + 12.0 {
                yv(v) + 24.0
            } else {
                yv(v) - 16.0
            };
            svg.text(
                x(i) + if anchor == "end" { 6.0 } else { 0.0 },
                ly,
                label,
                SMALL_SIZE,
                INK2,
                anchor,
                false,
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
        for (j, l) in lines.iter().enumerate() {
            svg.text(
                right + 8.0,
                top_y + lh * (j as f64 + 0.8),
                l,
                SMALL_SIZE,
                ink,
                "start",
                true,
                Some("end-label"),
            );
        }
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
        let best = candidates
            .iter()
            .copied()
            .min_by_key(|c| crowded(*c))
            .unwrap_or(candidates[0]);
        svg.text(
            best.0,
            best.1,
            label,
            SMALL_SIZE,
            INK2,
            best.2,
            false,
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

fn draw_compare(chart: &Chart, svg: &mut Svg, top: f64, width: f64) -> f64 {
    let lang = chart.lang;
    let rows = &chart.compare;
    let row_h = 28.0;
    let name_w = rows
        .iter()
        .map(|r| text_width(&r.name, TEXT_SIZE, r.highlighted))
        .fold(0.0, f64::max);
    let left = PAD + name_w.min(220.0) + 14.0;
    let value_w = rows
        .iter()
        .map(|r| text_width(&r.cell.display(chart.compare_unit, lang), SMALL_SIZE, true))
        .fold(0.0, f64::max);
    let right = width - PAD - value_w - 14.0;
    let max = rows
        .iter()
        .filter_map(|r| r.cell.number())
        .fold(0.0, f64::max);
    let (step, xmax) = ticks(max);
    let xv = |v: f64| left + v / xmax * (right - left);
    let bottom = top + row_h * rows.len().max(1) as f64;
    let count = (xmax / step).round() as usize;
    for k in 0..=count {
        let v = step * k as f64;
        if k > 0 {
            svg.line(
                xv(v),
                top,
                xv(v),
                bottom,
                "#e3e3e3",
                1.0,
                None,
                Some("grid"),
            );
        }
        svg.text(
            xv(v),
            bottom + 18.0,
            &format::number(v, decimals(step), lang),
            SMALL_SIZE,
            INK2,
            "middle",
            false,
            Some("xtick"),
        );
    }
    for (i, r) in rows.iter().enumerate() {
        let cy = top + row_h * (i as f64 + 0.5);
        svg.line(left, cy, right, cy, "#f0f0f0", 1.0, None, None);
        let (colour, ink) = if r.highlighted {
            ("#0072B2", "#0072B2")
        } else {
            ("#555555", INK)
        };
        let name = if r.name.chars().count() > 40 {
            format!("{}…", r.name.chars().take(39).collect::<String>())
        } else {
            r.name.clone()
        };
        svg.text(
            left - 10.0,
            cy + 5.0,
            &name,
            TEXT_SIZE,
            ink,
            "end",
            r.highlighted,
            Some(if r.highlighted {
                "unit highlighted"
            } else {
                "unit"
            }),
        );
        let label = r.cell.display(chart.compare_unit, lang);
        match r.cell.number() {
            Some(v) => {
                let shape = if r.highlighted { 3 } else { 0 };
                svg.marker(
                    shape,
                    xv(v),
                    cy,
                    colour,
                    r.cell.is_provisional(),
                    if r.highlighted { 1.6 } else { 1.3 },
                );
                svg.text(
                    xv(v) + 11.0,
                    cy + 5.0,
                    &label,
                    SMALL_SIZE,
                    ink,
                    "start",
                    r.highlighted,
                    Some("value"),
                );
            }
            None => {
                let class = if matches!(r.cell, Cell::Suppressed { .. }) {
                    "suppressed"
                } else {
                    "gap"
                };
                svg.text(
                    left + 6.0,
                    cy + 5.0,
                    &label,
                    SMALL_SIZE,
                    ink,
                    "start",
                    true,
                    Some(class),
                );
            }
        }
    }
    svg.line(left, top, left, bottom, INK, 1.5, None, Some("baseline"));
    bottom + 30.0
}
