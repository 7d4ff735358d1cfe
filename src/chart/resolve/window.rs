//! One chart over one window of periods: the periods, the chart type's
//! drawing, then what every chart says around it (caveats, source, address,
//! title).

use crate::chart::ChartContext;
use crate::chart::model::Chart;
use crate::chart::spec::{ChartSpec, SpecProblem};
use crate::data::{Dataset, Period};
use crate::format::{self, span_short};

use super::caveats::Caveats;
use super::frame::{Builder, Frame};
use super::{address, pinned, source_ids};

/// The periods a chart shows: for a chart over time, its window of the
/// data (`from`, then `to`, the report's period or the latest data); for a
/// cross-section, its one period.
fn periods(
    spec: &ChartSpec,
    data: &Dataset,
    ctx: &ChartContext,
    default_to: Option<Period>,
    unit: &str,
) -> Vec<Period> {
    let kind = spec.kind.spec();
    let mut first: Option<Period> = None;
    let mut last: Option<Period> = None;
    for id in &source_ids(spec, data) {
        let series: Vec<_> = if kind.across_units() {
            data.series
                .iter()
                .filter(|(k, _)| &k.measure == id && k.group == spec.group)
                .map(|(_, s)| s)
                .collect()
        } else {
            data.series_of(id, unit, spec.group.as_deref())
                .into_iter()
                .collect()
        };
        for s in series {
            first = first.min(s.first_period()).or(s.first_period());
            last = last.max(s.last_period());
        }
    }
    let first = first.unwrap_or(Period::quarter(2000, 1));
    let last = last.unwrap_or(first);
    let same_kind = |p: Period| p.is_quarter() == first.is_quarter();
    if kind.across_units() {
        return vec![
            kind.pinned_period()
                .or(spec.to)
                .or(default_to)
                .or(ctx.latest)
                .filter(|p| same_kind(*p))
                .unwrap_or(last),
        ];
    }
    let from = spec.from.filter(|p| same_kind(*p)).unwrap_or(first);
    let to = spec
        .to
        .or(default_to)
        .or(ctx.latest)
        .filter(|p| same_kind(*p) && *p >= from)
        .unwrap_or(last.max(from));
    from.range_to(to).collect()
}

/// The chart of a spec with its defaults filled in, over its window.
pub(super) fn resolve_window(
    spec: &ChartSpec,
    data: &Dataset,
    ctx: &ChartContext,
    default_to: Option<Period>,
) -> Result<Chart, Vec<SpecProblem>> {
    let kind = spec.kind.spec();
    let lang = ctx.lang;
    let unit = kind.unit().unwrap_or_default().to_string();
    let unit_name = data
        .units
        .get(&unit)
        .map(|u| u.name.clone())
        .unwrap_or_else(|| unit.clone());
    let ids = source_ids(spec, data);
    let periods = periods(spec, data, ctx, default_to, &unit);
    let span = match (periods.first(), periods.last()) {
        (Some(first), Some(last)) => span_short(*first, *last, lang),
        _ => String::new(),
    };
    let frame = Frame {
        ctx,
        b: Builder {
            data,
            lang,
            below: ctx.config.privacy.suppress_below,
            min_unit_fte: ctx.config.privacy.min_unit_fte,
            unit: unit.clone(),
            group: spec.group.clone(),
            periods: periods.clone(),
        },
        unit_name,
        span,
    };
    let drawn = kind.draw(&frame)?;
    let Frame {
        b, unit_name, span, ..
    } = frame;

    let mut caveats = Caveats::new(lang);
    caveats.breaks(&b, &drawn.lines, &kind.break_measures(), drawn.index_base);
    if kind.across_units() {
        caveats.rows(&drawn.lines, &drawn.compare, periods[0]);
    } else {
        caveats.lines(&drawn.lines, &periods, &unit_name);
    }
    // Missing periods name their unit (a compare chart's rows are units).
    let whose = (!kind.across_units()).then_some(unit_name.as_str());
    caveats.statuses(ctx.config.privacy.suppress_below, whose);
    caveats.measures_own(data, &ids);
    caveats.extend(drawn.extra_limits, drawn.extra_notes);
    caveats.references(data, kind.reference());
    let (limitations, notes, breaks) = caveats.finish();

    // Source and data date.
    let mut sources: Vec<String> = Vec::new();
    for id in &ids {
        let s = data
            .measure(id)
            .and_then(|m| m.source.as_ref())
            .map(|s| s.get(lang).to_string())
            .unwrap_or_else(|| ctx.config.source.name.clone());
        if !sources.contains(&s) {
            sources.push(s);
        }
    }
    if sources.is_empty() {
        sources.push(ctx.config.source.name.clone());
    }
    let source_line = format!(
        "{}: {}, {}. {} {}.",
        lang.words().source,
        ctx.config.organisation,
        sources.join("; "),
        lang.words().data_extracted,
        format::date_long(&ctx.config.source.extracted.0, lang)
    );

    // Address.
    let slug = address(
        spec,
        &unit,
        &periods,
        drawn.index_base,
        pinned(spec, default_to),
    );
    let latest_slug = address(&spec.following(), &unit, &periods, None, false);
    let home = format!("charts/{slug}/");
    let permalink = format!("{}{home}", ctx.config.base_url());

    // The generated title says what is measured, where and when (H5).
    let mut generated = drawn.default_title;
    let mut subtitle = drawn.subtitle;
    if !kind.across_units() {
        generated = format!("{generated}, {span}");
        // The title says the periods; the subtitle need not repeat them.
        if let Some(s) = subtitle.strip_suffix(&format!(". {span}")) {
            subtitle = format!("{s}.");
        }
    }
    // An author's title may lead, but the statement of what is shown stays
    // in the image under it (H7): a headline alone can claim anything.
    let title = match &spec.title {
        Some(custom) => {
            if kind.across_units() {
                // The generated title already names the measure and the
                // period: the subtitle keeps only what it adds.
                let period = format!("{}. ", format::period_short(periods[0], lang));
                let label = format!(
                    "{}. ",
                    drawn.lines.first().map(|l| l.label.as_str()).unwrap_or("")
                );
                let rest = subtitle.replacen(&period, "", 1);
                let rest = rest.strip_prefix(&label).unwrap_or(&rest).to_string();
                subtitle = format!("{generated}. {rest}");
            } else {
                subtitle = format!("{generated}. {subtitle}");
            }
            custom.clone()
        }
        None => generated,
    };

    let mut measures: Vec<String> = Vec::new();
    for id in &ids {
        if !measures.contains(id) {
            measures.push(id.clone());
        }
    }
    let units = if kind.across_units() {
        drawn.compare.iter().map(|r| r.unit.clone()).collect()
    } else {
        vec![unit.clone()]
    };

    let mut chart = Chart {
        chart_type: spec.chart_type(),
        lang,
        slug,
        home,
        permalink,
        latest_slug,
        title,
        subtitle,
        periods,
        lines: drawn.lines,
        panels: drawn.panels,
        compare: drawn.compare,
        compare_refs: drawn.compare_refs,
        compare_unit: drawn.compare_unit,
        breaks,
        limitations,
        notes,
        source_line,
        description: String::new(),
        full: None,
        warnings: drawn.warnings,
        origin: None,
        latest: None,
        measures,
        units,
        svg_cache: std::sync::OnceLock::new(),
        svg_narrow_cache: std::sync::OnceLock::new(),
        sizes: Default::default(),
        drawings: None,
        fingerprint: std::sync::OnceLock::new(),
        table: std::sync::OnceLock::new(),
    };
    chart.description = crate::chart::describe::describe(&chart, drawn.index_base, &unit_name);
    Ok(chart)
}
