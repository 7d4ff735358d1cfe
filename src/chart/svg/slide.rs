//! A chart laid out for a fixed box: a 16:9 slide (1920 × 1080 pixels) or a
//! square social-media image (1080 × 1080).
//!
//! The portrait chart grows downwards as it needs; a slide cannot. This
//! layout starts from the box: it tries a few type scales, largest first
//! (text on a slide is read from the back of a room), and takes the first
//! at which the title, the plot, and every caveat with the source, data
//! date and address fit inside the image (H5): on a 16:9 slide the caveats
//! stand in a column beside the plot, on a square under it. Panels share
//! the height that is left; a compare chart flows into side-by-side
//! columns on one value axis. A compare chart over many units, or one
//! whose columns cannot hold every unit legibly, is the overview of the
//! page layouts (every unit as a dot, the highlighted one named among its
//! neighbours in value; see `compare_view`), with as many neighbours as fit:
//! never a picture that runs off its box.
//!
//! The document's `width`/`height` are the pixel size and its `viewBox` the
//! layout box, so rasterising it at 1× gives exactly the format's pixels.

use std::fmt::Write as _;

use super::compare::{
    Axis, NOTE_GAP, NOTE_LH, RowSpacing, draw_compare_rows, draw_overview, name_lines,
    overview_note_lines,
};
use super::{
    FOOTER_SIZE, INK, INK2, PAD, SMALL_SIZE, Svg, TEXT_SIZE, TITLE_SIZE, draw_panel,
    end_label_width, font, label, plotted_colours, text_width, wrap, y_label_width,
};
use crate::chart::chart_type::ChartType;
use crate::chart::compare_view::{self, NEIGHBOURS, nearest_rows};
use crate::chart::model::Chart;

/// The fixed-size formats every chart is also drawn in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlideFormat {
    /// 16:9, 1920 × 1080: a full slide.
    Wide,
    /// 1:1, 1080 × 1080: social media.
    Square,
}

impl SlideFormat {
    pub const ALL: [SlideFormat; 2] = [SlideFormat::Wide, SlideFormat::Square];

    /// The size of the image in pixels.
    pub fn pixels(self) -> (u32, u32) {
        match self {
            SlideFormat::Wide => (1920, 1080),
            SlideFormat::Square => (1080, 1080),
        }
    }

    /// The shares of the width the caveats' column may take, tried in turn
    /// (the square puts them under the plot, full width).
    fn footer_shares(self) -> &'static [f64] {
        match self {
            SlideFormat::Wide => &[0.33, 0.42, 0.5],
            SlideFormat::Square => &[1.0],
        }
    }

    /// The file name in a chart's folder.
    pub fn file_name(self) -> &'static str {
        match self {
            SlideFormat::Wide => "chart-16x9.png",
            SlideFormat::Square => "chart-square.png",
        }
    }
}

/// Pixels per layout unit, tried in turn. At 2 the chart's 13-unit footer
/// text is 26 pixels high on a 1080-pixel slide (the portrait PNG fitted to
/// a slide's height shows it at about 15); 1 is the floor, where the layout
/// box is the pixel box.
const SCALES: [f64; 6] = [2.0, 1.8, 1.6, 1.4, 1.2, 1.0];

/// A compare row needs this much height for its name (14-unit text).
const MIN_ROW: f64 = 18.0;
/// An overview's rows are at most this far apart, as on a page.
const OVERVIEW_ROW: f64 = 28.0;
/// An overview's strip of dots needs this much height to show a shape.
const MIN_STRIP: f64 = 60.0;
/// What each further line of a wrapped name adds to its row.
const NAME_LINE: f64 = 16.0;
/// Rows spread out to fill a slide, up to this far apart.
const MAX_ROW: f64 = 40.0;
/// A panel's plot needs at least this much height to read a trend.
const MIN_PANEL: f64 = 110.0;
/// Narrowest plot of a compare column, between the names and the values.
const MIN_COMPARE_PLOT: f64 = 140.0;
/// What `draw_panel` adds under its plot (the period labels) and the gap
/// `render` leaves after a panel.
const PANEL_BELOW: f64 = 26.0 + 8.0;
/// The heading of a panel in small multiples.
const PANEL_HEADING: f64 = TEXT_SIZE + 18.0;
/// What `draw_compare_rows` adds under its rows (the value labels).
const COMPARE_BELOW: f64 = 30.0;

/// The chart laid out for `format`, as an SVG document of the format's
/// pixel size.
pub fn render_slide(chart: &Chart, format: SlideFormat) -> String {
    crate::timings::CHARTS_DRAWN.add();
    let (px_w, px_h) = format.pixels();
    let compare = chart.chart_type == ChartType::Compare;
    let plot = if compare && compare_view::is_overview(chart.compare.len()) {
        Plot::Overview(NEIGHBOURS)
    } else {
        Plot::Normal
    };
    let mut fallback = None;
    for &scale in &SCALES {
        let (w, h) = (px_w as f64 / scale, px_h as f64 / scale);
        // On a slide the caveats' column widens before the type shrinks.
        for share in format.footer_shares() {
            let Some(layout) = Layout::new(chart, format, w, h, *share) else {
                continue;
            };
            if layout.plot_fits(chart, plot) {
                return layout.draw(chart, px_w, px_h, plot);
            }
            if compare && fallback.is_none() && layout.plot_fits(chart, Plot::Overview(0)) {
                fallback = Some(layout);
            }
        }
    }
    // Too many units for their rows at any scale: the overview at the
    // largest scale where it fits, with as many neighbours as fit there. A
    // chart whose caveats do not fit even at the floor scale (at 1920 × 1080
    // that takes some sixty lines of them) is drawn at the floor scale all
    // the same.
    let layout = fallback.unwrap_or_else(|| {
        let share = format.footer_shares()[0];
        Layout::forced(chart, format, px_w as f64, px_h as f64, share)
    });
    let plot = if compare {
        let per_side = (0..=NEIGHBOURS)
            .rev()
            .find(|n| layout.plot_fits(chart, Plot::Overview(*n)))
            .unwrap_or(0);
        Plot::Overview(per_side)
    } else {
        Plot::Normal
    };
    layout.draw(chart, px_w, px_h, plot)
}

/// What goes in the plot area.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Plot {
    Normal,
    /// Every unit as a dot, and the highlighted unit with this many
    /// neighbours on either side as rows.
    Overview(usize),
}

/// Where things go at one scale.
struct Layout {
    /// The layout box, in SVG user units.
    w: f64,
    h: f64,
    title: Vec<String>,
    subtitle: Vec<String>,
    /// Footer lines with their class (source, limitation, permalink).
    footer: Vec<(String, &'static str, bool)>,
    /// The plot area.
    plot: Rect,
    /// The footer's area.
    foot: Rect,
    /// A rule between the plot and the footer: (x1, y1, x2, y2).
    rule: (f64, f64, f64, f64),
}

#[derive(Clone, Copy, Debug)]
struct Rect {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

const TITLE_LH: f64 = TITLE_SIZE * 1.2;
const SUBTITLE_LH: f64 = TEXT_SIZE * 1.35;
const FOOTER_LH: f64 = FOOTER_SIZE * 1.32;
/// Space after each footer paragraph, as `render` leaves.
const PARAGRAPH_GAP: f64 = 3.0;

impl Layout {
    /// The layout at a box of `w` × `h` units, or `None` when the title and
    /// caveats leave no room for a plot.
    fn new(chart: &Chart, format: SlideFormat, w: f64, h: f64, share: f64) -> Option<Layout> {
        let layout = Layout::forced(chart, format, w, h, share);
        // On the square the caveats stand under the plot: at the largest
        // type they could leave it a strip a fifth of the image high, so
        // the type shrinks until the plot has a third of the height.
        let min_plot = match format {
            SlideFormat::Wide => MIN_PANEL,
            SlideFormat::Square => MIN_PANEL.max(h / 3.0),
        };
        (layout.plot.h >= min_plot && layout.foot_height() <= layout.foot.h + 0.5).then_some(layout)
    }

    /// The layout at `w` × `h` whether or not it fits.
    fn forced(chart: &Chart, format: SlideFormat, w: f64, h: f64, share: f64) -> Layout {
        let inner = w - 2.0 * PAD - 10.0;
        let title = wrap(&chart.title, TITLE_SIZE, true, inner);
        let subtitle = wrap(&chart.subtitle, TEXT_SIZE, false, inner);
        let header =
            PAD + title.len() as f64 * TITLE_LH + 4.0 + subtitle.len() as f64 * SUBTITLE_LH;
        let top = header + 14.0;
        let bottom = h - PAD;
        match format {
            SlideFormat::Wide => {
                // Caveats in a column on the right, `share` of the slide.
                let foot_w = (w * share).max(240.0);
                let x = w - PAD - foot_w;
                let footer = footer_lines(chart, foot_w - 10.0);
                Layout {
                    w,
                    h,
                    title,
                    subtitle,
                    footer,
                    plot: Rect {
                        x: 0.0,
                        y: top,
                        w: x - 12.0,
                        h: bottom - top,
                    },
                    foot: Rect {
                        x: x + 10.0,
                        y: top,
                        w: foot_w - 10.0,
                        h: bottom - top,
                    },
                    rule: (x, top, x, bottom),
                }
            }
            SlideFormat::Square => {
                let footer = footer_lines(chart, inner);
                let foot_h = footer_height(&footer);
                let rule_y = bottom - foot_h - 8.0;
                Layout {
                    w,
                    h,
                    title,
                    subtitle,
                    footer,
                    plot: Rect {
                        x: 0.0,
                        y: top,
                        w,
                        h: rule_y - 8.0 - top,
                    },
                    foot: Rect {
                        x: PAD,
                        y: rule_y + 4.0,
                        w: inner,
                        h: foot_h,
                    },
                    rule: (PAD, rule_y, w - PAD, rule_y),
                }
            }
        }
    }

    fn foot_height(&self) -> f64 {
        footer_height(&self.footer)
    }

    /// Whether the chart itself fits the plot area legibly.
    fn plot_fits(&self, chart: &Chart, plot: Plot) -> bool {
        match plot {
            Plot::Overview(per_side) => self.overview(chart, per_side).is_some(),
            Plot::Normal if chart.chart_type == ChartType::Compare => {
                self.compare_columns(chart).is_some()
            }
            Plot::Normal => {
                let n = chart.panels.len().max(1) as f64;
                let heading = if chart.panels.len() > 1 {
                    PANEL_HEADING
                } else {
                    0.0
                };
                (self.plot.h - n * (PANEL_BELOW + heading)) / n >= MIN_PANEL
            }
        }
    }

    /// What `draw_compare_rows` needs under its rows: the value labels,
    /// and a labelled line per reference figure.
    fn compare_below(chart: &Chart) -> f64 {
        COMPARE_BELOW + 20.0 * compare_view::drawn_refs(&chart.compare_refs).count() as f64
    }

    /// Columns, rows per column and their spacing for a compare chart,
    /// fewest columns first, or `None` when its rows do not fit. A wrapped
    /// name makes its row taller, so the column with the most wrapped
    /// lines sets the spacing.
    fn compare_columns(&self, chart: &Chart) -> Option<(usize, usize, RowSpacing)> {
        let rows = chart.compare.len().max(1);
        let min_w = compare_min_width(chart);
        let max_cols = ((self.plot.w / min_w).floor() as usize).max(1);
        let room = self.plot.h - Self::compare_below(chart);
        (1..=max_cols.min(rows)).find_map(|cols| {
            let per_col = rows.div_ceil(cols);
            let lines = name_lines(chart, self.plot.w / cols as f64);
            let most_wrapped = lines
                .chunks(per_col)
                .map(|c| c.iter().map(|l| l.saturating_sub(1)).sum::<usize>())
                .max()
                .unwrap_or(0);
            let row = (room - NAME_LINE * most_wrapped as f64) / per_col as f64;
            (row >= MIN_ROW).then(|| (cols, per_col, RowSpacing::rows(row.min(MAX_ROW))))
        })
    }

    /// The rows an overview names with `per_side` neighbours, the height
    /// of its strip of dots and its row spacing, or `None` when they do not
    /// fit the plot area.
    fn overview(&self, chart: &Chart, per_side: usize) -> Option<(Vec<usize>, f64, RowSpacing)> {
        let named = nearest_rows(&chart.compare, per_side);
        let note = overview_note_lines(chart, named.len(), self.plot.w).len() as f64 * NOTE_LH;
        let room = self.plot.h - note - NOTE_GAP - Self::compare_below(chart);
        let lines = name_lines(chart, self.plot.w);
        let wrapped: usize = named.iter().map(|&i| lines[i].saturating_sub(1)).sum();
        // The dots keep at least a third of the room, so their shape reads.
        let strip_min = MIN_STRIP.max(room / 3.0);
        let rows_room = room - strip_min - NAME_LINE * wrapped as f64;
        let row = if named.is_empty() {
            OVERVIEW_ROW
        } else {
            (rows_room / named.len() as f64).min(OVERVIEW_ROW)
        };
        if row < MIN_ROW || rows_room < 0.0 {
            return None;
        }
        let strip = room - row * named.len() as f64 - NAME_LINE * wrapped as f64;
        Some((named, strip, RowSpacing::rows(row)))
    }

    fn draw(&self, chart: &Chart, px_w: u32, px_h: u32, plot: Plot) -> String {
        let mut body = Svg { out: String::new() };
        // Header: what is measured, the unit, the periods (H5).
        let mut y = PAD;
        let mut title = Vec::new();
        for l in &self.title {
            y += TITLE_LH;
            title.push(label(PAD, y, l.as_str(), Some("title")));
        }
        body.texts(&font(TITLE_SIZE, INK).bold(true).attrs(), &title);
        y += 4.0;
        let mut subtitle = Vec::new();
        for l in &self.subtitle {
            y += SUBTITLE_LH;
            subtitle.push(label(PAD, y, l.as_str(), Some("subtitle")));
        }
        body.texts(&font(TEXT_SIZE, INK2).attrs(), &subtitle);

        match plot {
            Plot::Overview(per_side) => {
                let (named, strip, spacing) = self.overview(chart, per_side).unwrap_or_else(|| {
                    let named = nearest_rows(&chart.compare, per_side);
                    (named, MIN_STRIP, RowSpacing::rows(MIN_ROW))
                });
                draw_overview(
                    chart,
                    &mut body,
                    self.plot.y,
                    self.plot.w,
                    &named,
                    strip,
                    spacing,
                );
            }
            Plot::Normal if chart.chart_type == ChartType::Compare => {
                let (cols, per_col, spacing) = self.compare_columns(chart).unwrap_or((
                    1,
                    chart.compare.len(),
                    RowSpacing::rows(MIN_ROW),
                ));
                let col_w = self.plot.w / cols as f64;
                let all: Vec<usize> = (0..chart.compare.len()).collect();
                // Every column on the whole chart's geometry, so they share
                // one value axis.
                let axis = Axis::new(chart, &all, col_w);
                for (c, rows) in all.chunks(per_col.max(1)).enumerate() {
                    let x = self.plot.x + col_w * c as f64;
                    let _ = writeln!(
                        body.out,
                        "<g transform=\"translate({} 0)\" class=\"column\">",
                        super::coord(x)
                    );
                    draw_compare_rows(chart, &axis, rows, &mut body, self.plot.y, 0.0, spacing);
                    body.out.push_str("</g>\n");
                }
            }
            Plot::Normal => self.draw_panels(chart, &mut body),
        }

        // Footer: source, data date, every limitation, the address (H5).
        let (x1, y1, x2, y2) = self.rule;
        body.line(x1, y1, x2, y2, "#8c8c8c", 0.8, None, None);
        let _ = writeln!(body.out, "<g{}>", font(FOOTER_SIZE, "#333333").attrs());
        let mut y = self.foot.y;
        let mut run: Vec<super::Label> = Vec::new();
        for (text, class, paragraph_end) in &self.footer {
            if run.first().is_some_and(|l| l.class != Some(*class)) {
                body.texts("", &std::mem::take(&mut run));
            }
            y += FOOTER_LH;
            run.push(label(self.foot.x, y, text.as_str(), Some(*class)));
            if *paragraph_end {
                y += PARAGRAPH_GAP;
            }
        }
        body.texts("", &run);
        body.out.push_str("</g>\n");

        // The slide's background is the page chart's (white).
        super::document(
            chart,
            (&px_w.to_string(), &px_h.to_string()),
            &format!("0 0 {} {}", super::coord(self.w), super::coord(self.h)),
            &body.out,
        )
    }

    /// Line and bar panels sharing the plot area's height.
    fn draw_panels(&self, chart: &Chart, body: &mut Svg) {
        let multiple = chart.panels.len() > 1;
        let n = chart.panels.len().max(1) as f64;
        let heading = if multiple { PANEL_HEADING } else { 0.0 };
        let panel_h = (self.plot.h - n * (PANEL_BELOW + heading)) / n;
        let colours = plotted_colours(chart);
        let right = self.plot.x + self.plot.w - PAD - end_label_width(chart);
        let left = self.plot.x + PAD + y_label_width(chart) + 8.0;
        let mut y = self.plot.y;
        for panel in &chart.panels {
            if multiple {
                y += TEXT_SIZE;
                body.text(
                    self.plot.x + PAD,
                    y,
                    &panel.axis_label,
                    font(TEXT_SIZE, INK).bold(true),
                    Some("panel"),
                );
                y += 18.0;
            }
            y = draw_panel(chart, panel, &colours, body, left, right, y, panel_h);
            y += 8.0;
        }
    }
}

/// The footer's lines wrapped to `width`, each with its class and whether
/// it ends a paragraph.
fn footer_lines(chart: &Chart, width: f64) -> Vec<(String, &'static str, bool)> {
    let mut paragraphs: Vec<(String, &'static str)> = vec![(chart.source_line.clone(), "source")];
    for l in &chart.limitations {
        paragraphs.push((format!("• {l}"), "limitation"));
    }
    paragraphs.push((
        format!("{}: {}", chart.lang.words().permalink, chart.permalink),
        "permalink",
    ));
    let mut out = Vec::new();
    for (text, class) in paragraphs {
        let lines = wrap(&text, FOOTER_SIZE, false, width);
        let n = lines.len();
        out.extend(
            lines
                .into_iter()
                .enumerate()
                .map(|(i, l)| (l, class, i + 1 == n)),
        );
    }
    out
}

fn footer_height(lines: &[(String, &'static str, bool)]) -> f64 {
    lines
        .iter()
        .map(|(_, _, end)| FOOTER_LH + if *end { PARAGRAPH_GAP } else { 0.0 })
        .sum::<f64>()
        + 4.0
}

/// The narrowest column a compare chart's rows can be drawn in: the names
/// and values as `draw_compare_rows` measures them, and a plot between.
fn compare_min_width(chart: &Chart) -> f64 {
    let name_w = chart
        .compare
        .iter()
        .map(|r| text_width(&r.name, TEXT_SIZE, r.highlighted))
        .fold(0.0, f64::max)
        .min(220.0);
    let value_w = chart
        .compare
        .iter()
        .map(|r| {
            text_width(
                &r.cell.display(chart.compare_unit, chart.lang),
                SMALL_SIZE,
                true,
            )
        })
        .fold(0.0, f64::max);
    PAD + name_w + 14.0 + MIN_COMPARE_PLOT + value_w + 14.0 + PAD
}
