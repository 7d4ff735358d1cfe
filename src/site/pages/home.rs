//! The home page: the text of `content/_index.md` (when there is one), the
//! headline chart of every area's published units, and the latest report.

use serde::Serialize;

use super::context::{BaseContext, insert_og_image};
use super::generated_charts;
use super::limitations::limitations_view;
use super::markdown::markdown;
use super::{Link, PageJob};
use crate::content::ContentFile;
use crate::diagnostics::Diagnostic;
use crate::format;
use crate::site::limits::PageLimits;
use crate::site::reports::ReportInfo;
use crate::site::{Site, charts};

#[derive(Serialize)]
struct AreaView {
    id: String,
    name: String,
    charts: Vec<String>,
    units: Vec<Link>,
}

pub(super) fn home_page(
    site: &Site,
    base: &BaseContext,
    reports: &[ReportInfo],
    f: Option<&ContentFile>,
) -> Result<PageJob, Vec<Diagnostic>> {
    let path = String::new();
    let mut limits = PageLimits::stated();
    let mut charts_out = Vec::new();
    let html = match f {
        Some(f) => markdown(site, f, "", None, &mut limits, &mut charts_out)?,
        None => String::new(),
    };
    let title = f
        .map(|f| f.front.title.clone())
        .unwrap_or_else(|| site.config.title.clone());
    let mut ctx = base.context(&path, &title, "");
    ctx.insert("content", &html);
    let lang = site.config.language;
    // Per area, the headline chart of each of its published units.
    let mut areas = Vec::new();
    let mut problems = Vec::new();
    for area in site.data.units.areas.values() {
        let units: Vec<&crate::data::Unit> = site
            .data
            .units
            .units
            .values()
            .filter(|u| {
                u.area.as_deref() == Some(area.id.as_str()) && site.published_units.contains(&u.id)
            })
            .collect();
        if units.is_empty() {
            continue;
        }
        let mut figs = Vec::new();
        // One chart for the area's total where it has one, else per unit.
        let total: Vec<&crate::data::Unit> = units
            .iter()
            .copied()
            .filter(|u| site.area_totals.contains(&u.id))
            .collect();
        let charted = if total.is_empty() {
            units.clone()
        } else {
            total
        };
        let units: Vec<&crate::data::Unit> = units
            .into_iter()
            .filter(|u| !site.area_totals.contains(&u.id))
            .collect();
        if let Some((caseload, staffing)) = site.headline() {
            for u in &charted {
                if site.data.series(&caseload, &u.id).is_none()
                    || site.data.series(&staffing, &u.id).is_none()
                {
                    continue;
                }
                let spec = generated_charts::growth_spec(&caseload, &staffing, &u.id);
                match charts::resolve_generated(site, &spec, "content/_index.md") {
                    Ok(chart) => {
                        figs.push(charts::figure_html(site, &chart, "", &mut limits));
                        charts_out.push(chart);
                    }
                    Err(e) => problems.extend(e),
                }
            }
        }
        areas.push(AreaView {
            id: area.id.clone(),
            name: area.name.get(lang).to_string(),
            charts: figs,
            units: units
                .iter()
                .map(|u| Link {
                    title: u.name.clone(),
                    href: format!("units/{}/index.html", u.id),
                    date: None,
                    summary: None,
                })
                .collect(),
        });
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    ctx.insert("areas", &areas);
    ctx.insert("limitations", &limitations_view(site, &limits, &[]));
    let latest = reports.last().map(|r| Link {
        title: r.title.clone(),
        href: format!("{}index.html", r.path),
        date: r.date.as_ref().map(|d| format::date_long(d, lang)),
        summary: r.summary.clone(),
    });
    ctx.insert("latest_report", &latest);
    if let Some(chart) = charts_out.first() {
        insert_og_image(&mut ctx, chart);
    }
    Ok(PageJob {
        path,
        template: "home.html",
        ctx,
        charts: charts_out,
        in_sitemap: true,
    })
}
