//! The measures: the methodology index, and one page per measure with its
//! definition, source, breaks and limitations, the comparison of every
//! published unit and every unit's full series as a table.

use serde::Serialize;

use super::context::BaseContext;
use super::generated_charts;
use super::published::shown_text;
use super::{PageJob, PageMaker, later, root_for};
use crate::data::MeasureKind;
use crate::diagnostics::Diagnostic;
use crate::format;
use crate::site::limits::PageLimits;
use crate::site::{Site, charts};

/// A measure as the index and the data page list it.
#[derive(Serialize)]
pub(super) struct MeasureLink {
    id: String,
    label: String,
    href: String,
    definition: String,
}

/// Every measure, linked to its page.
pub(super) fn links(site: &Site) -> Vec<MeasureLink> {
    let lang = site.config.language;
    site.data
        .measures
        .measures
        .values()
        .map(|m| MeasureLink {
            id: m.id.clone(),
            label: m.label.get(lang).to_string(),
            href: format!("measures/{}/index.html", m.id),
            definition: m
                .definition
                .as_ref()
                .map(|d| d.get(lang).to_string())
                .unwrap_or_default(),
        })
        .collect()
}

/// The index, then one page per measure.
pub(super) fn pages<'a>(site: &'a Site, base: &'a BaseContext) -> Vec<PageMaker<'a>> {
    let mut pages = vec![later(move || Ok(index_page(site, base)))];
    pages.extend(
        site.data
            .measures
            .measures
            .keys()
            .map(|id| later(move || measure_page(site, base, id))),
    );
    pages
}

/// The methodology index: every measure with its definition.
fn index_page(site: &Site, base: &BaseContext) -> PageJob {
    let lang = site.config.language;
    let measure_links = links(site);
    let mut ctx = base.context("measures/", lang.words().measures, "");
    ctx.insert("measures", &measure_links);
    ctx.insert("content", "");
    PageJob {
        path: "measures/".into(),
        template: "measures.html",
        ctx,
        charts: Vec::new(),
        in_sitemap: true,
    }
}

fn measure_page(site: &Site, base: &BaseContext, id: &str) -> Result<PageJob, Vec<Diagnostic>> {
    let lang = site.config.language;
    let m = &site.data.measures.measures[id];
    let path = format!("measures/{id}/");
    let root = root_for(&path);
    let mut limits = PageLimits::default();
    let mut charts_out = Vec::new();
    let mut figs = Vec::new();
    let units = site.data.units_with(id);
    if units
        .iter()
        .filter(|u| site.published_units.contains(**u))
        .count()
        > 1
    {
        let spec = generated_charts::compare_spec(id);
        let chart = charts::resolve_generated(site, &spec, &path)?;
        figs.push(charts::figure_html(site, &chart, &root, &mut limits));
        charts_out.push(chart);
    }
    // Every published unit's full series, as a table.
    let below = site.config.privacy.suppress_below;
    let published: Vec<&str> = units
        .iter()
        .copied()
        .filter(|u| site.published_units.contains(*u))
        .collect();
    if let Some((first, last)) = site.period_range(id)
        && !published.is_empty()
    {
        let headers: Vec<String> = std::iter::once(lang.words().period.to_string())
            .chain(
                published
                    .iter()
                    .map(|u| site.data.units.units[*u].name.clone()),
            )
            .collect();
        // Each unit's series looked up once, not once per period.
        let series: Vec<_> = published.iter().map(|u| site.data.series(id, u)).collect();
        let rows: Vec<(String, Vec<String>)> = first
            .range_to(last)
            .map(|p| {
                (
                    format::period_short(p, lang),
                    series
                        .iter()
                        .map(|s| shown_text(m, s.and_then(|s| s.get(p)), lang, below))
                        .collect(),
                )
            })
            .collect();
        let table = crate::chart::Table {
            caption: format!("{} – {}", m.label.get(lang), lang.words().all_units),
            headers,
            rows,
            notes: Vec::new(),
        };
        figs.push(charts::table_html(&table));
    }
    #[derive(Serialize)]
    struct Derived {
        num: String,
        num_href: String,
        den: String,
        den_href: String,
    }
    #[derive(Serialize)]
    struct MeasureView {
        definition: Option<String>,
        unit: String,
        kind: String,
        source: String,
        derived: Option<Derived>,
        breaks: Vec<String>,
        limitations: Vec<String>,
        charts: Vec<String>,
    }
    let label_of = |mid: &str| {
        site.data
            .measure(mid)
            .map(|x| x.label.get(lang).to_string())
            .unwrap_or_default()
    };
    let view = MeasureView {
        definition: m.definition.as_ref().map(|d| d.get(lang).to_string()),
        unit: crate::i18n::measure_unit(m.unit, lang).to_string(),
        kind: if m.kind == MeasureKind::Stock {
            lang.words().kind_stock
        } else {
            lang.words().kind_flow
        }
        .to_string(),
        source: m
            .source
            .as_ref()
            .map(|s| s.get(lang).to_string())
            .unwrap_or_else(|| site.config.source.name.clone()),
        derived: m.ratio.as_ref().map(|(n, d)| Derived {
            num: label_of(n),
            num_href: format!("measures/{n}/index.html"),
            den: label_of(d),
            den_href: format!("measures/{d}/index.html"),
        }),
        breaks: m
            .breaks
            .iter()
            .map(|b| {
                format!(
                    "{}: {}",
                    format::period_long(b.period, lang),
                    b.note.get(lang)
                )
            })
            .collect(),
        limitations: m
            .limitations
            .iter()
            .map(|l| l.get(lang).to_string())
            .collect(),
        charts: figs,
    };
    let description = view.definition.clone().unwrap_or_default();
    let mut ctx = base.context(&path, m.label.get(lang), &description);
    ctx.insert("measure", &view);
    Ok(PageJob {
        path,
        template: "measure.html",
        ctx,
        charts: charts_out,
        in_sitemap: true,
    })
}
