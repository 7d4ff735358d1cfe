//! A chart's embed page, for another site's `<iframe>`.

use super::PageJob;
use super::context::BaseContext;
use crate::chart::Chart;
use crate::site::{Site, charts};

/// A chart's embed page (`charts/<slug>/embed/`): the picture, a caption,
/// the source, the limitations and a link to the chart page, for another
/// site's `<iframe>`. No script and nothing that refuses framing: any site
/// may show it.
pub(super) fn embed_page(site: &Site, base: &BaseContext, chart: &Chart) -> PageJob {
    let path = format!("{}embed/", chart.path());
    let mut ctx = base.context(&path, chart.title(), chart.description());
    ctx.insert("embed", &charts::embed_view(site, chart));
    PageJob {
        path,
        template: "embed.html",
        ctx,
        charts: Vec::new(),
        in_sitemap: false,
    }
}
