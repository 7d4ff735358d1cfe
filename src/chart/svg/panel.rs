//! One plot area with its own zero-based axis: lines with gaps (never
//! interpolated), bars from zero, break and provisional marks, the
//! reference line and the end labels (H1–H4).

use std::fmt::Write as _;

use super::doc::{Label, PathData, Svg, coord, font, label};
use super::place::{Rect, Seg, Spot, Taken};
use super::text::{text_width, wrap};
use super::{
    DENSE_SERIES, END_LABEL_MAX, INK, INK2, PALETTE, SMALL_SIZE, decimals, panel_max, ticks,
};
use crate::chart::model::{Cell, Chart, Line, Panel};
use crate::format;

/// The rows above a series' own that its marks may move up to, where
/// marks of neighbouring periods crowd a narrow layout.
pub(super) const MARK_ROWS: usize = 6;

/// Where a series' marks go: its row above the axis of a plot whose
/// periods are `band` apart.
#[derive(Clone, Copy)]
pub(super) struct MarkRow {
    pub(super) bottom: f64,
    pub(super) band: f64,
    pub(super) row: usize,
}

/// The marks of a series' missing, withheld and uncomputable periods (H3,
/// H9), placed in `taken` by the rule every label follows. They sit at the
/// axis, on the series' own row, never at a height between neighbours that
/// would hint at a value. A run of periods with the same mark is one label,
/// naming its periods where that fits over the run (`<5, K1 2019–K3 2024`),
/// else the mark alone (the periods are in the limitations). Where another
/// label holds its place (marks of neighbouring periods in a narrow
/// layout), a mark moves up a row.
pub(super) fn gap_marks(
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
pub(super) fn panel_bars(
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
pub(super) fn panel_segments(
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
pub(super) fn draw_panel(
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
