//! A chart's own page, at its permanent address or as a frozen copy.

use super::PageJob;
use super::context::{BaseContext, insert_og_image};
use crate::chart::Chart;
use crate::site::{Site, charts};

/// A chart's page: its permanent address, or a frozen copy's under
/// `editions/` (which is in no sitemap: the live page is the one to find).
pub(super) fn chart_page(site: &Site, base: &BaseContext, chart: &Chart) -> PageJob {
    let path = chart.path();
    let mut ctx = base.context(&path, chart.title(), chart.description());
    ctx.insert("chart", &charts::chart_view(site, chart, chart.svg_str()));
    insert_og_image(&mut ctx, chart);
    PageJob {
        in_sitemap: !path.starts_with("editions/"),
        path,
        template: "chart.html",
        ctx,
        charts: Vec::new(),
    }
}
