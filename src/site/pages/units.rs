//! The units: an index by area (units folded into their parent listed
//! without a link), and one page per published unit with its standard
//! charts and the latest value of every measure.

use serde::Serialize;

use super::context::{BaseContext, insert_og_image};
use super::generated_charts::unit_chart_specs;
use super::published::shown_text;
use super::{PageJob, PageMaker, later, root_for};
use crate::diagnostics::Diagnostic;
use crate::format;
use crate::site::limits::PageLimits;
use crate::site::{Site, charts};

/// The index, then one page per published unit.
pub(super) fn pages<'a>(site: &'a Site, base: &'a BaseContext) -> Vec<PageMaker<'a>> {
    let mut pages = vec![later(move || Ok(index_page(site, base)))];
    pages.extend(
        site.published_units
            .iter()
            .map(|id| later(move || unit_page(site, base, id))),
    );
    pages
}

/// The index of units by area; units folded into their parent are listed
/// without a link.
fn index_page(site: &Site, base: &BaseContext) -> PageJob {
    let lang = site.config.language;

    // Units: an index by area, and one page per published unit.
    #[derive(Serialize)]
    struct UnitLink {
        name: String,
        href: String,
        folded: bool,
    }
    #[derive(Serialize)]
    struct AreaUnits {
        id: String,
        name: String,
        units: Vec<UnitLink>,
    }
    let mut area_ids: Vec<Option<String>> =
        site.data.units.areas.keys().cloned().map(Some).collect();
    area_ids.push(None);
    let areas: Vec<AreaUnits> = area_ids
        .iter()
        .filter_map(|a| {
            let units: Vec<UnitLink> = site
                .data
                .units
                .units
                .values()
                .filter(|u| u.area == *a)
                .map(|u| UnitLink {
                    name: u.name.clone(),
                    href: format!("units/{}/index.html", u.id),
                    folded: !site.published_units.contains(&u.id),
                })
                .map(|mut l| {
                    if l.folded {
                        l.href = String::new();
                    }
                    l
                })
                .collect();
            if units.is_empty() {
                return None;
            }
            let (id, name) = match a {
                Some(id) => (
                    id.clone(),
                    site.data.units.areas[id].name.get(lang).to_string(),
                ),
                None => ("ovriga".to_string(), lang.words().other_units.into()),
            };
            Some(AreaUnits { id, name, units })
        })
        .collect();
    let mut ctx = base.context("units/", lang.words().units, "");
    ctx.insert("areas", &areas);
    PageJob {
        path: "units/".into(),
        template: "units.html",
        ctx,
        charts: Vec::new(),
        in_sitemap: true,
    }
}

fn unit_page(site: &Site, base: &BaseContext, unit_id: &str) -> Result<PageJob, Vec<Diagnostic>> {
    let lang = site.config.language;
    let unit = &site.data.units.units[unit_id];
    let path = format!("units/{unit_id}/");
    let root = root_for(&path);
    let mut limits = PageLimits::default();
    let mut charts_out = Vec::new();
    let mut figs = Vec::new();
    let mut problems = Vec::new();
    for spec in unit_chart_specs(site, unit_id) {
        match charts::resolve_generated(site, &spec, &path) {
            Ok(chart) => {
                figs.push(charts::figure_html(site, &chart, &root, &mut limits));
                charts_out.push(chart);
            }
            Err(e) => problems.extend(e),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    // Latest values of every measure, suppressed where needed.
    let below = site.config.privacy.suppress_below;
    let mut rows = Vec::new();
    for m in site.data.measures.measures.values() {
        let Some(series) = site.data.series(&m.id, unit_id) else {
            continue;
        };
        let Some((period, observation)) = series.points.iter().next_back() else {
            continue;
        };
        let text = shown_text(m, Some(&observation.value), lang, below);
        rows.push((
            m.label.get(lang).to_string(),
            vec![format::period_short(*period, lang), text],
        ));
    }
    let folded: Vec<String> = site
        .folded
        .iter()
        .filter(|(_, parent)| parent.as_deref() == Some(unit_id))
        .map(|(id, _)| site.data.units.units[id].name.clone())
        .collect();
    #[derive(Serialize)]
    struct UnitView {
        area: Option<String>,
        folded: Vec<String>,
        charts: Vec<String>,
        /// The table of latest values, as HTML.
        latest: Option<String>,
    }
    let latest = (!rows.is_empty()).then(|| {
        charts::table_html(&crate::chart::Table {
            caption: format!("{}: {}", unit.name, lang.words().latest_values),
            headers: vec![
                lang.words().measure.into(),
                lang.words().period.into(),
                lang.words().value.into(),
            ],
            rows,
            notes: Vec::new(),
        })
    });
    let mut ctx = base.context(&path, &unit.name, "");
    ctx.insert(
        "unit",
        &UnitView {
            area: unit
                .area
                .as_ref()
                .and_then(|a| site.data.units.areas.get(a))
                .map(|a| a.name.get(lang).to_string()),
            folded,
            charts: figs,
            latest,
        },
    );
    if let Some(chart) = charts_out.first() {
        insert_og_image(&mut ctx, chart);
    }
    Ok(PageJob {
        path,
        template: "unit.html",
        ctx,
        charts: charts_out,
        in_sitemap: true,
    })
}
