//! Drawing a compare chart: a named row per unit on one zero-based value
//! axis, or, over many units, the distribution of every unit with the
//! highlighted one among its neighbours in value (what is shown when is
//! decided in `compare_view`).
//!
//! The page layouts and the slide layouts draw with the same functions; how
//! far apart the rows are is the caller's [`RowSpacing`].

use std::fmt::Write as _;

use super::{INK, INK2, PAD, PathData, SMALL_SIZE, Svg, TEXT_SIZE, font, label, text_width, wrap};
use crate::chart::compare_view::{self, NEIGHBOURS, nearest_rows, overview_note};
use crate::chart::model::{Cell, Chart};
use crate::format;

/// The lines of a wrapped name are this far apart.
const NAME_LH: f64 = 16.0;
/// The height of the distribution strip of an overview on a page.
const PAGE_STRIP: f64 = 120.0;
/// The note of an overview: line height.
pub(super) const NOTE_LH: f64 = SMALL_SIZE * 1.35;
/// What an overview's note leaves between itself and the strip.
pub(super) const NOTE_GAP: f64 = 10.0;

/// How far apart compare rows are: a layout parameter, chosen by the page
/// (a fixed height) and by a slide (what fills its columns).
#[derive(Debug, Clone, Copy)]
pub(crate) struct RowSpacing {
    /// The height of a row whose name fits on one line.
    pub row: f64,
    /// What each further line of a wrapped name adds.
    pub line: f64,
}

impl RowSpacing {
    /// The page layouts: rows 28 apart.
    pub(crate) const PAGE: RowSpacing = RowSpacing::rows(28.0);

    /// Rows `row` apart; a wrapped name adds its lines.
    pub(crate) const fn rows(row: f64) -> RowSpacing {
        RowSpacing { row, line: NAME_LH }
    }

    /// The height of a row whose name takes `lines` lines.
    pub(crate) fn height(self, lines: usize) -> f64 {
        self.row + self.line * lines.saturating_sub(1) as f64
    }
}

/// Where the names, the plot and the values go when `rows` (indices into
/// the chart's units) are drawn `width` wide. The scale is always the whole
/// chart's, so columns and an overview's strip and rows share one axis.
pub(crate) struct Axis {
    name_max: f64,
    left: f64,
    right: f64,
    step: f64,
    max: f64,
    width: f64,
}

impl Axis {
    pub(crate) fn new(chart: &Chart, rows: &[usize], width: f64) -> Axis {
        let name_max = name_max(width);
        let name_w = rows
            .iter()
            .map(|&i| &chart.compare[i])
            .flat_map(|r| {
                wrap(&r.name, TEXT_SIZE, r.highlighted, name_max)
                    .into_iter()
                    .map(move |l| text_width(&l, TEXT_SIZE, r.highlighted))
            })
            .fold(0.0, f64::max);
        let value_w = rows
            .iter()
            .map(|&i| {
                let r = &chart.compare[i];
                text_width(
                    &r.cell.display(chart.compare_unit, chart.lang),
                    SMALL_SIZE,
                    true,
                )
            })
            .fold(0.0, f64::max);
        let max = chart
            .compare
            .iter()
            .chain(compare_view::drawn_refs(&chart.compare_refs))
            .filter_map(|r| r.cell.number())
            .fold(0.0, f64::max);
        let (step, max) = super::ticks(max);
        Axis {
            name_max,
            left: PAD + name_w.min(name_max) + 14.0,
            right: width - PAD - value_w - 14.0,
            step,
            max,
            width,
        }
    }

    fn x(&self, v: f64) -> f64 {
        self.left + v / self.max * (self.right - self.left)
    }
}

/// Names wrap within a share of the width, never clipped.
fn name_max(width: f64) -> f64 {
    (width * 0.34).min(220.0)
}

/// The number of lines each unit's name takes in a column `width` wide.
pub(crate) fn name_lines(chart: &Chart, width: f64) -> Vec<usize> {
    chart
        .compare
        .iter()
        .map(|r| wrap(&r.name, TEXT_SIZE, r.highlighted, name_max(width)).len())
        .collect()
}

/// The compare chart of a page layout, `width` wide from `top`; returns
/// the bottom of what was drawn.
pub(super) fn draw_compare(chart: &Chart, svg: &mut Svg, top: f64, width: f64) -> f64 {
    if compare_view::is_overview(chart.compare.len()) {
        let named = nearest_rows(&chart.compare, NEIGHBOURS);
        return draw_overview(chart, svg, top, width, &named, PAGE_STRIP, RowSpacing::PAGE);
    }
    let all: Vec<usize> = (0..chart.compare.len()).collect();
    let axis = Axis::new(chart, &all, width);
    draw_compare_rows(chart, &axis, &all, svg, top, 0.0, RowSpacing::PAGE)
}

/// The lines of an overview's note, wrapped to `width`.
pub(super) fn overview_note_lines(chart: &Chart, named: usize, width: f64) -> Vec<String> {
    let note = overview_note(&chart.compare, named, chart.lang);
    wrap(&note, SMALL_SIZE, false, width - 2.0 * PAD - 10.0)
}

/// Every unit as a dot in a strip `strip` high, and under it the `named`
/// rows (the highlighted unit and its neighbours in value) on the same
/// axis, with a note above saying what is drawn.
pub(super) fn draw_overview(
    chart: &Chart,
    svg: &mut Svg,
    top: f64,
    width: f64,
    named: &[usize],
    strip: f64,
    spacing: RowSpacing,
) -> f64 {
    let axis = Axis::new(chart, named, width);
    let mut y = top;
    let mut note = Vec::new();
    for l in overview_note_lines(chart, named.len(), width) {
        y += NOTE_LH;
        note.push(label(PAD, y, l, Some("overview-note")));
    }
    svg.texts(&font(SMALL_SIZE, INK2).attrs(), &note);
    y += NOTE_GAP;
    let bottom = draw_compare_rows(chart, &axis, named, svg, y, strip, spacing);
    draw_distribution(chart, &axis, svg, y + 6.0, y + strip - 6.0);
    bottom
}

/// Every unit with a value as a dot between `top` and `bottom`, stacked
/// where values meet; the highlighted unit a diamond with a guide from the
/// top of the strip, so it is found at a glance.
fn draw_distribution(chart: &Chart, axis: &Axis, svg: &mut Svg, top: f64, bottom: f64) {
    let values: Vec<(f64, bool, bool)> = chart
        .compare
        .iter()
        .filter_map(|r| {
            r.cell
                .number()
                .map(|n| (n, r.highlighted, r.cell.is_provisional()))
        })
        .collect();
    // Dots in bins one diameter wide, shrunk until the tallest stack fits.
    let stack = |d: f64| {
        let mut heights: std::collections::BTreeMap<i64, usize> = Default::default();
        let placed: Vec<(f64, f64, bool, bool)> = values
            .iter()
            .map(|&(n, hl, provisional)| {
                let bin = ((axis.x(n) - axis.left) / d).floor() as i64;
                let k = heights.entry(bin).or_insert(0);
                let y = bottom - d * (*k as f64 + 0.5);
                *k += 1;
                (axis.left + (bin as f64 + 0.5) * d, y, hl, provisional)
            })
            .collect();
        let tallest = heights.values().copied().max().unwrap_or(0);
        (placed, tallest)
    };
    let mut d = 10.0_f64;
    let (mut placed, mut tallest) = stack(d);
    while d > 2.0 && tallest as f64 * d > bottom - top {
        d *= 0.85;
        (placed, tallest) = stack(d);
    }
    let dots: Vec<(f64, f64, bool)> = placed
        .iter()
        .filter(|p| !p.2)
        .map(|p| (p.0, p.1, p.3))
        .collect();
    let _ = writeln!(svg.out, "<g class=\"distribution\">");
    // A marker of scale 1 is 3.6 units in radius; a dot fills 90 % of its bin.
    svg.markers(0, "#555555", d / 2.0 / 3.6 * 0.9, &dots);
    for &(x, y, _, provisional) in placed.iter().filter(|p| p.2) {
        svg.line(x, top - 4.0, x, y, "#0072B2", 1.2, Some("3 3"), None);
        svg.markers(
            3,
            "#0072B2",
            (d / 2.0 / 3.6).max(1.3),
            &[(x, y, provisional)],
        );
    }
    svg.out.push_str("</g>\n");
}

/// Draws `rows` (indices into the chart's units) from `top`, after `lead`
/// units of room that the grid and reference lines run through (an
/// overview's strip), spaced by `spacing`. Returns the bottom of what was
/// drawn, reference labels included.
pub(crate) fn draw_compare_rows(
    chart: &Chart,
    axis: &Axis,
    rows: &[usize],
    svg: &mut Svg,
    top: f64,
    lead: f64,
    spacing: RowSpacing,
) -> f64 {
    let lang = chart.lang;
    let names_wrapped: Vec<Vec<String>> = rows
        .iter()
        .map(|&i| {
            let r = &chart.compare[i];
            wrap(&r.name, TEXT_SIZE, r.highlighted, axis.name_max)
        })
        .collect();
    let row_hs: Vec<f64> = names_wrapped
        .iter()
        .map(|l| spacing.height(l.len()))
        .collect();
    let mut row_tops = Vec::with_capacity(rows.len());
    let mut acc = top + lead;
    for h in &row_hs {
        row_tops.push(acc);
        acc += h;
    }
    let (left, right) = (axis.left, axis.right);
    let bottom = if rows.is_empty() {
        acc.max(top + 28.0)
    } else {
        acc
    };
    let step = axis.step;
    let count = (axis.max / step).round() as usize;
    let mut grid = PathData::default();
    let mut xticks = Vec::new();
    // Tick labels thinned until they fit apart ("0 500 1 000 1 500", never
    // "0 5001 0001 500").
    let tick_text = |k: usize| format::number(step * k as f64, super::decimals(step), lang);
    let widest = (0..=count)
        .map(|k| text_width(&tick_text(k), SMALL_SIZE, false))
        .fold(0.0, f64::max);
    let spacing_x = axis.x(step) - axis.x(0.0);
    let every = ((widest + 10.0) / spacing_x.max(1.0)).ceil().max(1.0) as usize;
    for k in 0..=count {
        let v = step * k as f64;
        if k > 0 {
            grid.move_to(axis.x(v), top);
            grid.line_to(axis.x(v), bottom);
        }
        if k % every == 0 {
            xticks.push(label(axis.x(v), bottom + 18.0, tick_text(k), Some("xtick")));
        }
    }
    svg.rules(&grid, "#e3e3e3", Some("grid"));

    // Rows do not overlap, so each kind of mark is drawn for all rows at
    // once: the highlighted unit apart, in its own colour.
    let mut guides = PathData::default();
    let [mut names, mut values, mut gaps] = [(); 3].map(|_| [Vec::new(), Vec::new()]);
    let mut dots = [Vec::new(), Vec::new()];
    for (i, &row) in rows.iter().enumerate() {
        let r = &chart.compare[row];
        let cy = row_tops[i] + row_hs[i] / 2.0;
        guides.move_to(left, cy);
        guides.line_to(right, cy);
        let h = usize::from(r.highlighted);
        let lines = &names_wrapped[i];
        let first = cy + 5.0 - NAME_LH / 2.0 * (lines.len() as f64 - 1.0);
        for (j, name) in lines.iter().enumerate() {
            names[h].push(label(
                left - 10.0,
                first + NAME_LH * j as f64,
                name.clone(),
                Some(if r.highlighted {
                    "unit highlighted"
                } else {
                    "unit"
                }),
            ));
        }
        let text = r.cell.display(chart.compare_unit, lang);
        match r.cell.number() {
            Some(v) => {
                dots[h].push((axis.x(v), cy, r.cell.is_provisional()));
                values[h].push(label(axis.x(v) + 11.0, cy + 5.0, text, Some("value")));
            }
            None => {
                let class = if matches!(r.cell, Cell::Suppressed { .. }) {
                    "suppressed"
                } else {
                    "gap"
                };
                gaps[h].push(label(left + 6.0, cy + 5.0, text, Some(class)));
            }
        }
    }
    svg.rules(&guides, "#f0f0f0", None);
    let ink = [INK, "#0072B2"];
    for h in 0..2 {
        let f = font(TEXT_SIZE, ink[h]).anchor("end").bold(h == 1);
        svg.texts(&f.attrs(), &names[h]);
    }
    svg.markers(0, "#555555", 1.3, &dots[0]);
    svg.markers(3, "#0072B2", 1.6, &dots[1]);
    for h in 0..2 {
        // A halo keeps a value readable where a reference line crosses it.
        let mut f = font(SMALL_SIZE, ink[h]).bold(h == 1);
        if compare_view::drawn_refs(&chart.compare_refs)
            .next()
            .is_some()
        {
            f = f.halo();
        }
        svg.texts(&f.attrs(), &values[h]);
    }
    for h in 0..2 {
        let f = font(SMALL_SIZE, ink[h]).bold(true).halo();
        svg.texts(&f.attrs(), &gaps[h]);
    }
    svg.line(left, top, left, bottom, INK, 1.5, None, Some("baseline"));
    let below = draw_compare_references(chart, svg, axis, top, bottom);
    // The value labels last, with a halo where a reference line runs down
    // through them to its label.
    let mut f = font(SMALL_SIZE, INK2).anchor("middle");
    if compare_view::drawn_refs(&chart.compare_refs)
        .next()
        .is_some()
    {
        f = f.halo();
    }
    svg.texts(&f.attrs(), &xticks);
    below + 30.0
}

/// The reference figures of a compare chart (the national figure, a group
/// of peers): a dashed line across the rows at the value, labelled with
/// name and value under the axis, one label per line so none overlap.
/// Returns the bottom of what was drawn.
fn draw_compare_references(
    chart: &Chart,
    svg: &mut Svg,
    axis: &Axis,
    top: f64,
    bottom: f64,
) -> f64 {
    let mut y = bottom;
    // Labels that would leave the image end at their line instead.
    let [mut after, mut before] = [Vec::new(), Vec::new()];
    for r in compare_view::drawn_refs(&chart.compare_refs) {
        y += 20.0;
        let text = format!(
            "{}: {}",
            r.name,
            r.cell.display(chart.compare_unit, chart.lang)
        );
        let x = r.cell.number().map(|v| axis.x(v));
        if let Some(x) = x {
            // The line stops above its label's row, so a label that has to
            // start at the margin never sits on it.
            svg.line(x, top, x, y, INK2, 1.5, Some("5 3"), Some("peer"));
        }
        let x = x.unwrap_or(axis.left + 1.0);
        let w = text_width(&text, SMALL_SIZE, true);
        if x + 5.0 + w <= axis.width - PAD {
            after.push(label(x + 5.0, y + 14.0, text, Some("peer-label")));
        } else if x - 5.0 - w >= PAD {
            before.push(label(x - 5.0, y + 14.0, text, Some("peer-label")));
        } else {
            // Too long for either side of its line (a phone layout): from
            // the margin, under the line's end.
            after.push(label(PAD, y + 14.0, text, Some("peer-label")));
        }
    }
    let f = font(SMALL_SIZE, INK).bold(true).halo();
    svg.texts(&f.attrs(), &after);
    svg.texts(&f.anchor("end").attrs(), &before);
    y
}
