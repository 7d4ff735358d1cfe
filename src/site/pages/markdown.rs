//! A content file's Markdown as HTML: its chart blocks resolved and drawn,
//! its figures filled in, its links made relative.

use super::link_rewrite::relative_links;
use crate::chart::Chart;
use crate::content::ContentFile;
use crate::data::Period;
use crate::diagnostics::Diagnostic;
use crate::site::limits::PageLimits;
use crate::site::{Site, charts, figures};

/// Renders a content file's Markdown, resolving its charts and figures.
pub(super) fn markdown(
    site: &Site,
    f: &ContentFile,
    root: &str,
    default_to: Option<Period>,
    limits: &mut PageLimits,
    charts_out: &mut Vec<Chart>,
) -> Result<String, Vec<Diagnostic>> {
    let rendered = figures::render_body(site, f, limits, &mut |spec, line, limits| {
        let chart = charts::resolve_block(site, &f.file, line, spec, default_to)?;
        let html = charts::figure_html(site, &chart, root, limits);
        charts_out.push(chart);
        Ok(html)
    })?;
    Ok(relative_links(&rendered.html, root))
}
