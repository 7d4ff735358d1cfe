//! The revisions page: every published value changed since the newest
//! edition, with its old and new value as published, and every series
//! break that edition marked and the data no longer has.

use serde::Serialize;

use super::context::BaseContext;
use super::{PageJob, PageMaker, later};
use crate::data::privacy::Shown;
use crate::data::{MeasureUnit, SeriesKey, Status};
use crate::format;
use crate::site::Site;

pub(super) fn pages<'a>(site: &'a Site, base: &'a BaseContext) -> Vec<PageMaker<'a>> {
    vec![later(move || Ok(page(site, base)))]
}

fn page(site: &Site, base: &BaseContext) -> PageJob {
    let lang = site.config.language;
    let below = site.config.privacy.suppress_below;
    // A measure by its label, or its id when the data no longer has it.
    let measure_label = |id: &str| {
        site.data
            .measure(id)
            .map_or_else(|| id.to_string(), |m| m.label.get(lang).to_string())
    };
    // Revisions since the newest edition.
    #[derive(Serialize)]
    struct RevisionRow {
        measure: String,
        unit: String,
        period: String,
        old: String,
        new: String,
    }
    let revision_rows: Vec<RevisionRow> = site
        .revisions
        .iter()
        .filter(|r| site.published_units.contains(&r.unit))
        .map(|r| {
            let m = site.data.measure(&r.measure);
            // The new value as published (H9); when the view withholds it,
            // the old one is withheld too, or the change would tell it.
            let key = SeriesKey {
                measure: r.measure.clone(),
                unit: r.unit.clone(),
                group: r.group.clone(),
            };
            let now = site
                .data
                .series_for(&key)
                .and_then(|s| s.get(r.period))
                .copied();
            let withheld = now.filter(|v| v.number.is_none());
            let (old_value, old_status, new_value, new_status) = match withheld {
                Some(v) => (None, v.status, None, v.status),
                None => (r.old_value, r.old_status, r.new_value, r.new_status),
            };
            let fmt = |v: Option<f64>, s: Status| -> String {
                let unit = m.map(|m| m.unit).unwrap_or(MeasureUnit::Count);
                let value = crate::data::Value {
                    number: v,
                    status: s,
                };
                match crate::data::privacy::shown(&value, unit, below) {
                    Shown::Number(n, _) => format::value(n, unit, lang),
                    Shown::Suppressed { below } => format!("<{below}"),
                    Shown::Symbol(s) => s.symbol().to_string(),
                }
            };
            RevisionRow {
                measure: measure_label(&r.measure),
                unit: site
                    .data
                    .units
                    .get(&r.unit)
                    .map(|u| u.name.clone())
                    .unwrap_or_else(|| r.unit.clone()),
                period: format::period_short(r.period, lang),
                old: fmt(old_value, old_status),
                new: fmt(new_value, new_status),
            }
        })
        .collect();
    // Series breaks the edition marked and the data no longer has.
    #[derive(Serialize)]
    struct BreakRow {
        measure: String,
        period: String,
    }
    let breaks_removed: Vec<BreakRow> = site
        .breaks_removed
        .iter()
        .map(|(measure, period)| BreakRow {
            measure: measure_label(measure),
            period: format::period_short(*period, lang),
        })
        .collect();
    let mut ctx = base.context("revisions/", lang.words().revisions, "");
    ctx.insert("revisions", &revision_rows);
    ctx.insert("breaks_removed", &breaks_removed);
    ctx.insert("edition", &site.edition);
    PageJob {
        path: "revisions/".into(),
        template: "revisions.html",
        ctx,
        charts: Vec::new(),
        in_sitemap: true,
    }
}
