//! A spec resolved against the data into a [`Chart`]: the window, the
//! H7 checks of a window shorter than the data, the chart that follows the
//! latest data beside a pinned one, and the chart's address. What each
//! chart type draws is in its own file under `chart/kinds/`.

mod caveats;
pub(crate) mod frame;
mod window;

use crate::chart::ChartContext;
use crate::chart::model::{Chart, Line};
use crate::chart::notes::Note;
use crate::chart::spec::{ChartSpec, SpecProblem};
use crate::data::{Dataset, Period};
use crate::format::{self, span_short, uc_first};
use crate::i18n::Trend;
use window::resolve_window;

/// Resolves a validated spec into a chart. `default_to` is the report's
/// period, which pins the chart's end (and address) to it; `None` follows
/// the latest data (`ctx.latest`, else the series' own end).
///
/// A spec that [`ChartSpec::validate`] passes resolves; one that leaves to
/// the data what the data cannot decide (a `workload` chart without
/// `workload` where no single measure has that role) gets the problems
/// validation reports.
pub fn resolve(
    spec: &ChartSpec,
    data: &Dataset,
    ctx: &ChartContext,
    default_to: Option<Period>,
) -> Result<Chart, Vec<SpecProblem>> {
    crate::timings::CHARTS_RESOLVED.add();
    let spec = &*spec.with_defaults(data);
    let mut chart = resolve_checked(spec, data, ctx, default_to)?;
    // §6: a pinned chart carries the chart that follows the latest data, so
    // the site publishes that address too and the pinned page can link it.
    if !chart.follows_latest() {
        let latest = match chart.full.as_deref() {
            Some(full) if full.slug == chart.latest_slug => full.clone(),
            _ => resolve_window(&spec.following(), data, ctx, None)?,
        };
        chart.latest = Some(Box::new(latest));
    }
    Ok(chart)
}

/// The chart over its window, with the H7 notes and warnings a window
/// shorter than the data calls for.
fn resolve_checked(
    spec: &ChartSpec,
    data: &Dataset,
    ctx: &ChartContext,
    default_to: Option<Period>,
) -> Result<Chart, Vec<SpecProblem>> {
    let mut chart = resolve_window(spec, data, ctx, default_to)?;
    // A cross-section shows one period: it has no window to check, but one
    // pinned before the report's period (or the latest data) shows units
    // as they stood then, which the image and the author are told.
    if spec.kind.spec().across_units() {
        let (Some(&shown), Some(last)) = (chart.periods.first(), data_last(spec, data)) else {
            return Ok(chart);
        };
        if spec.kind.spec().pinned_period().is_some()
            && shown.is_quarter() == last.is_quarter()
            && shown < default_to.unwrap_or(last).min(last)
        {
            let latest = resolve_window(&spec.following(), data, ctx, None)?;
            let ps = |p: Period| format::period_short(p, ctx.lang);
            let note =
                ctx.lang
                    .phrases()
                    .cross_section_earlier(&ps(shown), &ps(last), &latest.permalink);
            chart
                .notes
                .push(Note::fixed(format!("lim-window-{}", chart.slug), &note));
            chart.limitations.push(note);
            chart.warnings.push(format!(
                "the chart shows {shown}, but the data continues to {last}: the units may stand otherwise now"
            ));
            chart.full = Some(Box::new(latest));
        }
        return Ok(chart);
    }
    let (Some(first), Some(last)) = (data_first(spec, data), data_last(spec, data)) else {
        return Ok(chart);
    };
    let (Some(&from), Some(&to)) = (chart.periods.first(), chart.periods.last()) else {
        return Ok(chart);
    };
    let lang = ctx.lang;
    let same_kind = from.is_quarter() == first.is_quarter();
    let starts_later = same_kind && from > first;
    let ends_earlier = same_kind && to < last;
    // H7: a window that starts at or after a series break hides the break.
    for id in source_ids(spec, data) {
        let Some(m) = data.measure(&id) else { continue };
        for b in &m.breaks {
            if b.period <= from && b.period > first {
                chart.warnings.push(format!(
                    "the chart starts at {from}, at or after the series break of `{id}` in {}: readers cannot see that the definition changed",
                    b.period
                ));
            }
        }
    }
    if !starts_later && !ends_earlier {
        return Ok(chart);
    }
    // H7: a shorter window says so in the image and links the full series.
    // An author's title describes their window, not the full series: the
    // full series gets the generated title, and so the same chart (and
    // address) as the same spec without a title.
    let full = resolve_window(&spec.following(), data, ctx, None)?;
    let ps = |p: Period| format::period_short(p, lang);
    let phrases = lang.phrases();
    let window_note = match (starts_later, ends_earlier) {
        (true, false) => phrases.window_starts_later(&ps(from), &ps(first), &full.permalink),
        (false, _) => phrases.window_ends_earlier(&ps(to), &ps(last), &full.permalink),
        (true, true) => phrases.window_inside(
            &span_short(from, to, lang),
            &ps(first),
            &ps(last),
            &full.permalink,
        ),
    };
    chart.notes.push(Note::fixed(
        format!("lim-window-{}", chart.slug),
        &window_note,
    ));
    chart.limitations.push(window_note);
    // An author who cuts the window short of the report's period (or of
    // the latest data) is asked why.
    if let Some(spec_to) = spec.to
        && ends_earlier
        && spec_to < default_to.unwrap_or(last).min(last)
    {
        chart.warnings.push(format!(
            "the chart ends at {spec_to}, but the data continues to {last}: a later change is not shown"
        ));
    }
    chart.warnings.extend(cherry_pick(&chart, &full));
    chart.full = Some(Box::new(full));
    Ok(chart)
}

/// Whether the chart's end is fixed by its block or its report rather
/// than by the latest data.
fn pinned(spec: &ChartSpec, default_to: Option<Period>) -> bool {
    spec.to.is_some() || default_to.is_some() || spec.kind.spec().pinned_period().is_some()
}

/// A chart's address: its type, measures, unit and group, then only the
/// periods it is pinned to. A pinned chart names its first and last period
/// (a compare chart its one period); a chart that follows the latest data
/// names only a `from` of its block, so its address survives every new
/// quarter.
fn address(
    spec: &ChartSpec,
    unit: &str,
    periods: &[Period],
    index_base: Option<Period>,
    pinned: bool,
) -> String {
    let kind = spec.kind.spec();
    let mut parts = vec![spec.chart_type().name().to_string()];
    for (_, id) in spec.measure_ids() {
        parts.push(slug_part(id));
    }
    if !unit.is_empty() {
        parts.push(slug_part(unit));
    }
    if let Some(g) = &spec.group {
        parts.push(slug_part(g));
    }
    // Reference lines are drawn into the image: another chart, another address.
    if !kind.reference().is_empty() {
        parts.push("ref".into());
        parts.extend(kind.reference().iter().map(|r| slug_part(r)));
    }
    match (periods.first(), periods.last()) {
        (Some(first), _) if kind.across_units() && pinned => {
            parts.push(slug_part(&first.to_string()));
        }
        _ if kind.across_units() => {}
        (Some(first), Some(last)) if pinned => {
            parts.push(slug_part(&first.to_string()));
            parts.push(slug_part(&last.to_string()));
        }
        (Some(first), _) if spec.from.is_some() => {
            parts.push(format!("from-{}", slug_part(&first.to_string())));
        }
        _ => {}
    }
    if let (Some(base), Some(_), Some(first)) = (index_base, kind.index_base(), periods.first())
        && base != *first
    {
        parts.push(format!("base-{}", slug_part(&base.to_string())));
    }
    // A title of the author's own is drawn into the image, so the same data
    // under another title is another image at another address.
    if let Some(custom) = &spec.title {
        parts.push(format!(
            "t{}",
            &blake3::hash(custom.as_bytes()).to_hex()[..6]
        ));
    }
    shortened(parts.join("-"))
}

/// An address is a folder name, and file systems allow at most 255 bytes
/// in one: a longer one (many references, long unit ids) could not be
/// written at all. Past [`MAX_ADDRESS`] bytes, the address keeps its start
/// and ends in a hash of the whole, so it stays one chart's own. Shorter
/// addresses, every one ever published among them, are as they were.
fn shortened(address: String) -> String {
    if address.len() <= MAX_ADDRESS {
        return address;
    }
    let hash = blake3::hash(address.as_bytes()).to_hex();
    // Slugs are ASCII: any byte is a character boundary.
    let head = address[..MAX_ADDRESS - 12].trim_end_matches('-');
    format!("{head}-h{}", &hash[..10])
}

/// The longest address kept whole (see [`shortened`]).
const MAX_ADDRESS: usize = 160;

/// The first period of any series the chart draws from.
fn data_first(spec: &ChartSpec, data: &Dataset) -> Option<Period> {
    data_periods(spec, data).map(|(first, _)| first).min()
}

/// The last period of any series the chart draws from.
fn data_last(spec: &ChartSpec, data: &Dataset) -> Option<Period> {
    data_periods(spec, data).map(|(_, last)| last).max()
}

/// First and last period of each series the chart draws from.
fn data_periods<'a>(
    spec: &'a ChartSpec,
    data: &'a Dataset,
) -> impl Iterator<Item = (Period, Period)> + 'a {
    source_ids(spec, data).into_iter().filter_map(move |m| {
        let s = data.series_of(&m, spec.unit()?, spec.group.as_deref())?;
        Some((s.first_period()?, s.last_period()?))
    })
}

/// The raw (stored) measures behind the spec's measures.
fn source_ids(spec: &ChartSpec, data: &Dataset) -> Vec<String> {
    let mut out = Vec::new();
    for (_, id) in spec.measure_ids() {
        out.push(id.to_string());
        if let Some((a, b)) = data.measure(id).and_then(|m| m.ratio.clone()) {
            out.push(a);
            out.push(b);
        }
    }
    out
}

fn first_last(line: &Line, periods: &[Period]) -> Option<((Period, f64), (Period, f64))> {
    let nums: Vec<(Period, f64)> = periods
        .iter()
        .zip(&line.cells)
        .filter_map(|(p, c)| c.number().map(|n| (*p, n)))
        .collect();
    Some((*nums.first()?, *nums.last()?))
}

/// H7, the cherry-pick guard: every drawn series whose trend over the
/// window and over the full series point in opposite directions.
fn cherry_pick(window: &Chart, full: &Chart) -> Vec<String> {
    let lang = window.lang;
    let mut out = Vec::new();
    for w in window.lines.iter().filter(|l| l.plotted) {
        let Some(f) = full
            .lines
            .iter()
            .find(|l| l.plotted && l.csv_measure == w.csv_measure)
        else {
            continue;
        };
        let (Some(((wp0, wa), (wp1, wb))), Some(((fp0, fa), (fp1, fb)))) =
            (first_last(w, &window.periods), first_last(f, &full.periods))
        else {
            continue;
        };
        if wa == 0.0 || fa == 0.0 {
            continue;
        }
        let wc = (wb / wa - 1.0) * 100.0;
        let fc = (fb / fa - 1.0) * 100.0;
        if wc.abs() < 1.0 || fc.abs() < 1.0 || (wc > 0.0) == (fc > 0.0) {
            continue;
        }
        let (window_span, full_span) = (span_short(wp0, wp1, lang), span_short(fp0, fp1, lang));
        let (window_change, full_change) = (
            format::change_percent(wc, lang),
            format::change_percent(fc, lang),
        );
        out.push(lang.phrases().cherry_pick(
            &uc_first(&w.label),
            &Trend {
                rises: wc > 0.0,
                span: &window_span,
                change: &window_change,
            },
            &Trend {
                rises: fc > 0.0,
                span: &full_span,
                change: &full_change,
            },
        ));
    }
    out
}

/// Lowercase `[a-z0-9_-]` for addresses (see [`crate::slug`]).
fn slug_part(s: &str) -> String {
    crate::slug::slug(s, crate::slug::Keep::Underscore)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_addresses_are_shortened_and_stay_apart() {
        let short = "series-open_cases-nordost-ref-riket".to_string();
        assert_eq!(shortened(short.clone()), short);
        let long = |unit: &str| format!("series-open_cases-{}-ref-{unit}", "n".repeat(230));
        let (a, b) = (shortened(long("a")), shortened(long("b")));
        assert!(a.len() <= MAX_ADDRESS, "{}", a.len());
        assert_ne!(a, b, "a hash of the whole keeps them apart");
        assert_eq!(a, shortened(long("a")), "the same every build");
        assert!(a.starts_with("series-open_cases-nnn"), "{a}");
        assert!(!a.contains("--"), "{a}");
    }
}
